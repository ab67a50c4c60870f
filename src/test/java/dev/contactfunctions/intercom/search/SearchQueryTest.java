package dev.contactfunctions.intercom.search;

import static dev.contactfunctions.intercom.search.SearchFilter.and;
import static dev.contactfunctions.intercom.search.SearchFilter.field;
import static dev.contactfunctions.intercom.search.SearchFilter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class SearchQueryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<SearchFilter> emailFilters(int count) {
        return IntStream.range(0, count).<SearchFilter> mapToObj(i -> field("email").eq("p" + i + "@example.com"))
                .toList();
    }

    @Test
    void aSingleFilterIsWrittenInIntercomsGrammar() throws Exception {
        SearchQuery query = SearchQuery.of(field("email").eq("jane@example.com"));

        assertThat(JSON.writeValueAsString(query.filter()))
                .isEqualTo("{\"field\":\"email\",\"operator\":\"=\",\"value\":\"jane@example.com\"}");
    }

    @Test
    void groupsNestTwoLevelsDeep() throws Exception {
        SearchQuery query = SearchQuery.of(and(
                or(field("email").eq("a@example.com"), field("email").eq("b@example.com")),
                or(field("role").eq("lead"), field("tag_id").ne("81"))));

        assertThat(JSON.readTree(JSON.writeValueAsString(query.filter()))).isEqualTo(JSON.readTree("""
                {"operator":"AND","value":[
                  {"operator":"OR","value":[{"field":"email","operator":"=","value":"a@example.com"},
                                            {"field":"email","operator":"=","value":"b@example.com"}]},
                  {"operator":"OR","value":[{"field":"role","operator":"=","value":"lead"},
                                            {"field":"tag_id","operator":"!=","value":"81"}]}]}"""));
    }

    @Test
    void everyOperatorIsAcceptedWhereIntercomAcceptsIt() {
        assertThatCode(() -> SearchQuery.of(and(List.of(
                field("name").ne("x"), field("email").in(List.of("a@example.com")), field("phone").notIn(List.of("1")),
                field("email").contains("@example"), field("email").notContains("spam"),
                field("name").startsWith("Ja"), field("email_domain").endsWith(".io"),
                field("owner_id").gt(1), field("owner_id").lt(9), field("owner_id").gte(1), field("owner_id").lte(9),
                field("created_at").gt(1_700_000_000L), field("created_at").lt(1_700_000_000L),
                field("created_at").eq(1_700_000_000L), field("has_hard_bounced").eq(true)))))
                .doesNotThrowAnyException();
    }

    @Test
    void threeLevelsOfNestingAreRefused() {
        SearchFilter deep = and(or(and(field("email").eq("a@example.com"), field("role").eq("lead"))));

        assertThatThrownBy(() -> SearchQuery.of(deep))
                .isInstanceOf(InvalidSearchQueryException.class)
                .hasMessageContaining("2 levels");
    }

    @Test
    void fifteenFiltersInAGroupAreTheLimit() {
        assertThatCode(() -> SearchQuery.of(or(emailFilters(15)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> SearchQuery.of(or(emailFilters(16))))
                .isInstanceOf(InvalidSearchQueryException.class)
                .hasMessageContaining("15 filters");
    }

    @Test
    void theLimitHoldsForNestedGroupsToo() {
        assertThatThrownBy(() -> SearchQuery.of(and(field("role").eq("lead"), or(emailFilters(16)))))
                .isInstanceOf(InvalidSearchQueryException.class);
    }

    @Test
    void anEmptyGroupIsRefused() {
        assertThatThrownBy(() -> SearchQuery.of(and(Collections.<SearchFilter> emptyList())))
                .isInstanceOf(InvalidSearchQueryException.class);
    }

    @Test
    void inNeedsAList() {
        assertThatThrownBy(() -> SearchQuery.of(field("email").is(Operator.IN, "a@example.com")))
                .isInstanceOf(InvalidSearchQueryException.class)
                .hasMessageContaining("list");
    }

    @Test
    void equalsTakesASingleValue() {
        assertThatThrownBy(() -> SearchQuery.of(field("email").is(Operator.EQ, List.of("a@example.com"))))
                .isInstanceOf(InvalidSearchQueryException.class);
    }

    @Test
    void datesRefuseTheOperatorsIntercomRefuses() {
        assertThatThrownBy(() -> SearchQuery.of(field("created_at").gte(1_700_000_000L)))
                .isInstanceOf(InvalidSearchQueryException.class)
                .hasMessageContaining(">=");
        assertThatThrownBy(() -> SearchQuery.of(field("updated_at").ne(1_700_000_000L)))
                .isInstanceOf(InvalidSearchQueryException.class);
        assertThatThrownBy(() -> SearchQuery.of(field("created_at").in(List.of(1L))))
                .isInstanceOf(InvalidSearchQueryException.class);
    }

    @Test
    void datesAreUnixSeconds() {
        assertThatThrownBy(() -> SearchQuery.of(field("created_at").gt("2026-01-01")))
                .isInstanceOf(InvalidSearchQueryException.class)
                .hasMessageContaining("Unix seconds");
    }

    @Test
    void textOperatorsAreRefusedOnNumbersAndBooleans() {
        assertThatThrownBy(() -> SearchQuery.of(field("owner_id").contains("12")))
                .isInstanceOf(InvalidSearchQueryException.class)
                .hasMessageContaining("~");
        assertThatThrownBy(() -> SearchQuery.of(field("has_hard_bounced").startsWith("t")))
                .isInstanceOf(InvalidSearchQueryException.class);
    }

    @Test
    void tagIdTakesOnlyEqualsAndNotEquals() {
        assertThatThrownBy(() -> SearchQuery.of(field("tag_id").in(List.of("81"))))
                .isInstanceOf(InvalidSearchQueryException.class);
        assertThatThrownBy(() -> SearchQuery.of(field("tag_id").contains("8")))
                .isInstanceOf(InvalidSearchQueryException.class);
    }

    @Test
    void unknownFieldsAndOperatorsAreRefused() {
        assertThatThrownBy(() -> SearchQuery.of(field("favourite_colour").eq("blue")))
                .isInstanceOf(InvalidSearchQueryException.class)
                .hasMessageContaining("favourite_colour");
        assertThatThrownBy(() -> SearchQuery.of(new FieldFilter("email", "LIKE", "a")))
                .isInstanceOf(InvalidSearchQueryException.class)
                .hasMessageContaining("LIKE");
        assertThatThrownBy(() -> SearchQuery.of(new GroupFilter("XOR", List.of(field("role").eq("lead")))))
                .isInstanceOf(InvalidSearchQueryException.class);
        assertThatThrownBy(() -> field(" ")).isInstanceOf(InvalidSearchQueryException.class);
        assertThatThrownBy(() -> SearchQuery.of(null)).isInstanceOf(InvalidSearchQueryException.class);
    }

    @Test
    void customAttributesAcceptEveryOperator() {
        assertThatCode(() -> SearchQuery.of(and(
                SearchFilter.customAttribute("plan").contains("pro"),
                SearchFilter.customAttribute("seats").gte(10))))
                .doesNotThrowAnyException();
    }

    @Test
    void aSortIsKeptBesideTheFilter() {
        SearchQuery query = SearchQuery.of(field("role").eq("user")).sortedBy("created_at", Sort.Order.ascending);

        assertThat(query.sort()).contains(new Sort("created_at", Sort.Order.ascending));
    }
}

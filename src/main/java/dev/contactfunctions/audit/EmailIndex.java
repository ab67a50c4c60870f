package dev.contactfunctions.audit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import dev.contactfunctions.intercom.model.Contact;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Who uses which email, in the memory the duplicate checks need and no more: per normalized email a 64-bit keyed
 * hash ({@link dev.contactfunctions.identifiers.Pseudonyms#emailKey}) and the first contact seen with it (its id, packed,
 * and its role); only emails seen on two or more contacts keep the full list of ids. No address, name or other contact
 * field is kept. About 50 bytes per contact with an email.
 *
 * <p>The top 48 bits of the hash are {@link dev.contactfunctions.identifiers.Pseudonyms#emailFingerprint}, so findings
 * can name the email by its fingerprint. Two different emails share a 64-bit hash with negligible probability (about
 * 3e-8 among a million emails).
 */
@RegisterForReflection
final class EmailIndex {

    private static final byte[] IN_GROUP = new byte[0];
    private static final byte HEX_PACKED = (byte) 0x80;
    private static final double LOAD = 0.6;

    private long[] keys;
    private byte[][] firsts;
    private int size;
    private final Map<Long, List<Member>> groups = new HashMap<>();

    EmailIndex() {
        this(64);
    }

    private EmailIndex(int capacity) {
        keys = new long[capacity];
        firsts = new byte[capacity][];
    }

    /** Records that this contact uses the email of this key (its keyed hash, valid address or not). */
    void add(long key, String contactId, String role) {
        int slot = slot(key);
        if (firsts[slot] == null) {
            keys[slot] = key;
            firsts[slot] = pack(contactId, role);
            if (++size > keys.length * LOAD) {
                grow();
            }
            return;
        }
        List<Member> group = groups.get(key);
        if (group == null) {
            group = new ArrayList<>(2);
            group.add(unpack(firsts[slot]));
            firsts[slot] = IN_GROUP;
            groups.put(key, group);
        }
        group.add(new Member(contactId, role));
    }

    int size() {
        return size;
    }

    /** Every email used by two or more contacts, by fingerprint, with its contacts sorted by id. */
    List<SharedEmail> sharedEmails() {
        List<SharedEmail> shared = new ArrayList<>(groups.size());
        groups.forEach((key, members) -> shared.add(new SharedEmail(fingerprint(key),
                members.stream().sorted(Comparator.comparing(Member::id)).toList())));
        shared.sort(Comparator.comparing(SharedEmail::emailFingerprint)
                .thenComparing(s -> s.members().get(0).id()));
        return shared;
    }

    record Member(String id, String role) {
        boolean isUser() {
            return Contact.ROLE_USER.equals(role);
        }

        boolean isLead() {
            return Contact.ROLE_LEAD.equals(role);
        }
    }

    record SharedEmail(String emailFingerprint, List<Member> members) {
        List<String> userIds() {
            return members.stream().filter(Member::isUser).map(Member::id).toList();
        }

        List<String> leadIds() {
            return members.stream().filter(Member::isLead).map(Member::id).toList();
        }
    }

    static String fingerprint(long key) {
        byte[] top = new byte[6];
        for (int i = 0; i < 6; i++) {
            top[i] = (byte) (key >>> (56 - 8 * i));
        }
        return HexFormat.of().formatHex(top);
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int i = (int) (mix(key) & mask);
        while (firsts[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static long mix(long key) {
        key ^= key >>> 33;
        key *= 0xff51afd7ed558ccdL;
        return key ^ (key >>> 33);
    }

    private void grow() {
        long[] oldKeys = keys;
        byte[][] oldFirsts = firsts;
        keys = new long[oldKeys.length * 2];
        firsts = new byte[oldKeys.length * 2][];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldFirsts[i] != null) {
                int slot = slot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                firsts[slot] = oldFirsts[i];
            }
        }
    }

    // ---- packing: [role | hex flag][id], the id as raw hex bytes when it is lower-case hex of even length

    private static byte[] pack(String id, String role) {
        byte roleByte = roleByte(role);
        if (isPackableHex(id)) {
            byte[] raw = HexFormat.of().parseHex(id);
            byte[] packed = new byte[raw.length + 1];
            packed[0] = (byte) (roleByte | HEX_PACKED);
            System.arraycopy(raw, 0, packed, 1, raw.length);
            return packed;
        }
        byte[] text = id.getBytes(StandardCharsets.UTF_8);
        byte[] packed = new byte[text.length + 1];
        packed[0] = roleByte;
        System.arraycopy(text, 0, packed, 1, text.length);
        return packed;
    }

    private static Member unpack(byte[] packed) {
        String role = roleName((byte) (packed[0] & ~HEX_PACKED));
        String id = (packed[0] & HEX_PACKED) != 0
                ? HexFormat.of().formatHex(packed, 1, packed.length)
                : new String(packed, 1, packed.length - 1, StandardCharsets.UTF_8);
        return new Member(id, role);
    }

    private static boolean isPackableHex(String id) {
        if (id.isEmpty() || id.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static byte roleByte(String role) {
        if (Contact.ROLE_USER.equals(role)) {
            return 1;
        }
        return Contact.ROLE_LEAD.equals(role) ? (byte) 2 : 0;
    }

    private static String roleName(byte b) {
        return switch (b) {
            case 1 -> Contact.ROLE_USER;
            case 2 -> Contact.ROLE_LEAD;
            default -> "other";
        };
    }

    // ---- checkpoint form: gzip'd binary, base64

    @JsonValue
    String serialize() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(size);
            for (int i = 0; i < keys.length; i++) {
                if (firsts[i] != null) {
                    out.writeLong(keys[i]);
                    out.writeShort(firsts[i].length);
                    out.write(firsts[i]);
                }
            }
            out.writeInt(groups.size());
            for (Map.Entry<Long, List<Member>> group : groups.entrySet()) {
                out.writeLong(group.getKey());
                out.writeInt(group.getValue().size());
                for (Member member : group.getValue()) {
                    out.writeUTF(member.id());
                    out.writeUTF(member.role());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    @JsonCreator
    static EmailIndex deserialize(String serialized) {
        try (DataInputStream in = new DataInputStream(
                new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(serialized))))) {
            int entries = in.readInt();
            int capacity = 64;
            while (capacity * LOAD < entries + 1) {
                capacity *= 2;
            }
            EmailIndex index = new EmailIndex(capacity);
            for (int n = 0; n < entries; n++) {
                long key = in.readLong();
                byte[] first = new byte[in.readShort()];
                in.readFully(first);
                int slot = index.slot(key);
                index.keys[slot] = key;
                index.firsts[slot] = first.length == 0 ? IN_GROUP : first;
            }
            index.size = entries;
            int groupCount = in.readInt();
            for (int g = 0; g < groupCount; g++) {
                long key = in.readLong();
                int members = in.readInt();
                List<Member> list = new ArrayList<>(members);
                for (int m = 0; m < members; m++) {
                    list.add(new Member(in.readUTF(), in.readUTF()));
                }
                index.groups.put(key, list);
            }
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable email index in the checkpoint", e);
        }
    }
}

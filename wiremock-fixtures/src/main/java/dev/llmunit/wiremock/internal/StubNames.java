package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.jspecify.annotations.Nullable;

/**
 * Keeps stub names fit for an HTTP header. WireMock echoes a matched stub's name in the
 * {@code Matched-Stub-Name} response header, and a name with a control character (a NUL or an ESC
 * from a prompt, a CR LF) makes the client refuse the whole response, which a router then reads as a
 * connection failure, retries and falls back from (issue 15.1). Every name a stub gets, recorded,
 * written in code or loaded from a file, passes through here.
 */
public final class StubNames {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private StubNames() {}

    /**
     * The name with every control character (C0, DEL, C1, and the Unicode line and paragraph
     * separators) written as its {@code \}{@code uXXXX} escape, so names stay distinct and readable.
     *
     * @param name a stub name, or null
     * @return the safe name; the same instance when nothing needed escaping; null for null
     */
    public static @Nullable String safe(@Nullable String name) {
        if (name == null) {
            return null;
        }
        int first = firstUnsafe(name);
        if (first < 0) {
            return name;
        }
        StringBuilder safe = new StringBuilder(name.length() + 16).append(name, 0, first);
        for (int i = first; i < name.length(); i++) {
            char c = name.charAt(i);
            if (unsafe(c)) {
                safe.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                        .append(HEX[c & 0xf]);
            } else {
                safe.append(c);
            }
        }
        return safe.toString();
    }

    /**
     * Makes a stub's name safe in place, before the server holds it.
     *
     * @param stub the stub
     * @return the same stub
     */
    public static StubMapping makeSafe(StubMapping stub) {
        String name = stub.getName();
        String safe = safe(name);
        if (safe != name) {
            stub.setName(safe);
        }
        return stub;
    }

    private static int firstUnsafe(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (unsafe(name.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}

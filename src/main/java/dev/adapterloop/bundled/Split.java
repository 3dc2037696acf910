package dev.adapterloop.bundled;

import java.util.HexFormat;

/**
 * Which side of the fixed train / held-out split an email is on. The rule depends only on the email's own MD5 (the
 * corpus's {@code checksum.value}): held out iff its first byte, the first two hex digits, is divisible by 5. That is
 * 52 of 256 byte values, about 20 %, and it never changes with file order, machine or run.
 */
public enum Split {
    TRAIN,
    HELD_OUT;

    public static Split ofMd5(String md5Hex) {
        if (md5Hex == null || md5Hex.length() != 32) {
            throw new IllegalArgumentException("md5Hex must be 32 hex digits, got " + md5Hex);
        }
        int firstByte = HexFormat.fromHexDigits(md5Hex, 0, 2);
        return firstByte % 5 == 0 ? HELD_OUT : TRAIN;
    }
}

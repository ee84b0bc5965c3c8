package io.jenkins.plugins.inkit.client.text;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The words of the merge parameters' values of one run or one launch request, folded (NFKD,
 * combining marks dropped, lower case), so that a text can be checked word by word for them
 * whatever their case or accents. The values themselves are not kept. Words that contain a digit
 * are left out: {@link PersonalData} blanks every number anyway.
 *
 * <p>Bounded: up to {@value #MAX_EXACT} words are kept as they are; past that, every word (those
 * kept so far and all later ones) goes into a Bloom filter of {@value #FILTER_BYTES} bytes, which
 * may take a word for one of them that is not (so it is blanked needlessly) but never the other
 * way round. Filled once by one thread, then only read.
 */
public final class MergeWords {

    /** Exactly kept words at most; a launch of thousands of customers may have many more. */
    static final int MAX_EXACT = 20_000;

    /** Longer words are compared by their first this many characters (folded). */
    static final int MAX_WORD = 64;

    static final int FILTER_BYTES = 1 << 20;
    private static final int FILTER_BITS = FILTER_BYTES * 8;
    private static final int HASHES = 4;

    /** No words: a text checked against it has only its e-mail addresses and numbers blanked. */
    public static final MergeWords NONE = new MergeWords();

    private final Set<String> exact = new HashSet<>();
    private long[] filter;

    public MergeWords() {}

    /** Adds the words of one merge parameter's value. */
    public void addValue(CharSequence value) {
        if (this == NONE) {
            throw new UnsupportedOperationException("NONE holds no words");
        }
        int n = value.length();
        for (int i = 0; i < n; ) {
            int end = Words.end(value, i, n);
            if (end == i) {
                i += Character.charCount(Character.codePointAt(value, i));
                continue;
            }
            if (!Words.hasDigit(value, i, end)) {
                add(key(fold(value.subSequence(i, end))));
            }
            i = end;
        }
    }

    /** Whether {@code word}, a word of some text, is one of these words, compared folded. */
    public boolean containsWord(CharSequence word) {
        if (isEmpty()) {
            return false;
        }
        String key = key(fold(word));
        if (key.isEmpty()) {
            return false;
        }
        return filter == null ? exact.contains(key) : mightContain(key);
    }

    public boolean isEmpty() {
        return filter == null && exact.isEmpty();
    }

    /**
     * {@code word} compared without case or accents: NFKD, combining marks dropped, lower case in
     * {@link Locale#ROOT}, so that {@code Åsa}, {@code ASA} and {@code asa} are one word.
     */
    public static String fold(CharSequence word) {
        String s = word.toString();
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (!ascii) {
            String decomposed = Normalizer.normalize(s, Normalizer.Form.NFKD);
            StringBuilder b = new StringBuilder(decomposed.length());
            decomposed.codePoints().filter(c -> !Words.isMark(c)).forEach(b::appendCodePoint);
            s = b.toString();
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static String key(String folded) {
        return folded.length() > MAX_WORD ? folded.substring(0, MAX_WORD) : folded;
    }

    private void add(String key) {
        if (key.isEmpty()) {
            return;
        }
        if (filter != null) {
            remember(key);
        } else if (exact.add(key) && exact.size() > MAX_EXACT) {
            filter = new long[FILTER_BITS / 64];
            exact.forEach(this::remember);
            exact.clear();
        }
    }

    private void remember(String key) {
        long h = hash(key);
        for (int i = 0; i < HASHES; i++) {
            int bit = bit(h, i);
            filter[bit >>> 6] |= 1L << bit;
        }
    }

    private boolean mightContain(String key) {
        long h = hash(key);
        for (int i = 0; i < HASHES; i++) {
            int bit = bit(h, i);
            if ((filter[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Double hashing: the i-th bit from the two halves of one 64-bit hash. */
    private static int bit(long h, int i) {
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        return Math.floorMod(h1 + i * h2, FILTER_BITS);
    }

    /** 64-bit FNV-1a over the characters, then mixed (SplitMix64's finaliser). */
    private static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}

package io.github.fastdl4j.collab.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Raw ids (as in the files) to contiguous indices, like fastai's {@code Categorify}: index 0 is
 * {@value #NA} for anything unknown, the known ids follow in sorted order (numerically when all
 * are numbers).
 */
public final class IdVocab {

    /** fastai's name for the unknown value. */
    public static final String NA = "#na#";

    private final List<String> ids;
    private final Map<String, Integer> index = new HashMap<>();

    /** A vocabulary from its ids in index order; {@code ids.get(0)} must be {@value #NA}. */
    public IdVocab(List<String> ids) {
        if (ids.isEmpty() || !NA.equals(ids.get(0))) {
            throw new IllegalArgumentException("a vocabulary starts with " + NA);
        }
        if (ids.contains(null)) {
            throw new IllegalArgumentException("a vocabulary has no null ids");
        }
        this.ids = List.copyOf(ids);
        for (int i = 0; i < ids.size(); i++) {
            if (index.put(ids.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate id " + ids.get(i));
            }
        }
    }

    /** The vocabulary of a set of ids. */
    public static IdVocab of(Collection<String> raw) {
        boolean numeric = raw.stream().allMatch(IdVocab::isInteger);
        Comparator<String> order = numeric ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder();
        TreeSet<String> sorted = new TreeSet<>(order);
        sorted.addAll(raw);
        List<String> ids = new ArrayList<>(sorted.size() + 1);
        ids.add(NA);
        ids.addAll(sorted);
        return new IdVocab(ids);
    }

    private static boolean isInteger(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The index of an id, 0 when unknown. */
    public int index(String id) {
        return index.getOrDefault(id, 0);
    }

    /** Whether an id is known. */
    public boolean contains(String id) {
        return index.containsKey(id) && !NA.equals(id);
    }

    /** The id at an index. */
    public String id(int index) {
        return ids.get(index);
    }

    /** Size including {@value #NA}. */
    public int size() {
        return ids.size();
    }

    /** All ids in index order (for saving). */
    public List<String> ids() {
        return ids;
    }
}

package dev.streamrec.updater.ranking;

import dev.streamrec.updater.model.FactorKernels;
import java.util.Arrays;
import java.util.Objects;

/**
 * Every item's latent factors {@code q_i}, bias {@code b_i}, status, norm and version, stored in
 * dense primitive arrays indexed by <em>row</em>, plus an index between item ids and rows.
 *
 * <p><b>Layout.</b> Factors are one contiguous row-major {@code float[]} of
 * {@code capacity × rank}; row {@code r} occupies {@code [r * rank, (r + 1) * rank)}. A new item
 * is appended as the next row; capacity grows by half when full (amortised O(1) appends). Rows
 * are never reused or moved, so a row number handed out once means the same item for the life
 * of the matrix; callers may keep rows (for example in exclusion lists) across updates.
 *
 * <p><b>Status.</b> A row is <em>scorable</em> when it has factors and the catalog has not
 * marked it inactive. {@link #setActive} may arrive before the item's first factors: the row is
 * then created without factors, remembers the catalog status, and becomes scorable when
 * {@link #upsert} brings factors. {@link #remove} (a tombstone on the factor topic) drops the
 * factors but keeps the row, so its number stays stable and a later upsert revives it.
 *
 * <p><b>Model version.</b> {@link #modelVersion()} is the sum, over rows that have factors, of
 * the version of each row's latest upsert. It rises with every applied SGD step, matches the
 * {@code modelVersion} field of the Recommendations schema, and is cheap to keep: each upsert
 * adds {@code newVersion - oldVersion}. Upserts are last-write-wins (the compacted topic's order
 * is authoritative), so a lower version does not get rejected and the sum may go down.
 *
 * <p><b>Threading: one writer, many readers.</b> All mutating methods ({@code upsert},
 * {@code setActive}, {@code remove}, {@code trimToSize}) must be called from a single thread
 * (Kafka Streams' global-store thread). Any number of threads may read concurrently without
 * locks:
 * <ul>
 *   <li>Structure is published as an immutable {@link Snapshot} through a volatile field: array
 *       references, capacity and size. Growth copies into new arrays and publishes a new
 *       snapshot; a reader holding an old snapshot keeps consistent (if older) arrays whose
 *       lengths cover its size, so it can never index out of bounds or see a half-grown
 *       matrix. A new row is fully written before the snapshot whose size includes it.</li>
 *   <li>Rows that already exist are rewritten in place without locks. A reader scoring while a
 *       row is rewritten may see some of its floats old and some new. For asynchronous SGD this
 *       is harmless (the next refresh sees the new row) and is the price of not copying 25 MB
 *       per update.</li>
 *   <li>The writer ends every mutation with a volatile write of the model version; a reader that
 *       reads {@link #modelVersion()} or {@link #snapshot()} first sees every write made before
 *       that mutation finished.</li>
 * </ul>
 */
public final class ItemFactorMatrix {

    /** Row status bit: the catalog marked the item inactive. */
    static final byte INACTIVE = 1;
    /** Row status bit: the row has no factors (never upserted, or removed). */
    static final byte NO_FACTORS = 2;

    private static final int DEFAULT_CAPACITY = 1024;
    private static final FactorKernels KERNELS = FactorKernels.selected();
    /** Id-index slots per row of capacity: keeps linear probing at load ≤ 0.75. */
    private static final double SLOTS_PER_ROW = 4.0 / 3.0;

    private final int rank;
    /** Everything a reader needs, replaced whole on growth and on each append. */
    private volatile Snapshot snapshot;
    /** Written last by every mutation: the writer's release point for in-place row writes. */
    private volatile long modelVersion;

    /**
     * The arrays a reader scores against, with the row count they are valid for. Arrays are
     * shared between successive snapshots until the next growth; rows below {@code size} are
     * always initialised in every array.
     *
     * @param factors   row-major {@code capacity × rank} item factors
     * @param biases    item bias per row
     * @param norms     Euclidean norm of each row's factors, for cosine similarity
     * @param status    0 when scorable, else a combination of {@link #INACTIVE} and {@link #NO_FACTORS}
     * @param versions  version of each row's latest upsert (0 when it has no factors)
     * @param itemIds   item id per row
     * @param idSlots   open-addressing id index: {@code row + 1}, or 0 for an empty slot
     * @param size      rows in use
     */
    record Snapshot(int rank, float[] factors, float[] biases, float[] norms, byte[] status,
                    long[] versions, String[] itemIds, int[] idSlots, int size) {

        int capacity() {
            return biases.length;
        }

        Snapshot withSize(final int newSize) {
            return new Snapshot(rank, factors, biases, norms, status, versions, itemIds, idSlots, newSize);
        }

        /** Row of {@code itemId} among the first {@code size} rows, or -1. */
        int rowOf(final String itemId) {
            final int[] slots = idSlots;
            int slot = slotFor(itemId.hashCode(), slots.length);
            while (true) {
                final int entry = slots[slot];
                if (entry == 0) {
                    return -1;
                }
                final int row = entry - 1;
                // A slot for a row beyond size belongs to an append not yet published to us:
                // treat it as not there yet and keep probing.
                if (row < size && itemId.equals(itemIds[row])) {
                    return row;
                }
                slot = slot + 1 == slots.length ? 0 : slot + 1;
            }
        }
    }

    /** An empty matrix of the given rank with room for {@value #DEFAULT_CAPACITY} items. */
    public ItemFactorMatrix(final int rank) {
        this(rank, DEFAULT_CAPACITY);
    }

    /**
     * An empty matrix; pass the expected catalog size as {@code initialCapacity} to avoid growth
     * copies and slack (the arrays are exactly that long until more items arrive).
     */
    public ItemFactorMatrix(final int rank, final int initialCapacity) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be at least 1, was " + rank);
        }
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("initialCapacity must be at least 1, was " + initialCapacity);
        }
        if ((long) initialCapacity * rank > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("capacity × rank exceeds one Java array: " + initialCapacity + " × " + rank);
        }
        this.rank = rank;
        this.snapshot = allocate(rank, initialCapacity);
    }

    /** Number of factors per item, fixed at construction. */
    public int rank() {
        return rank;
    }

    /** Rows in use, including rows that are inactive or have no factors. */
    public int size() {
        return snapshot.size();
    }

    /** Rows the current arrays can hold before the next growth. */
    public int capacity() {
        return snapshot.capacity();
    }

    /** Sum of the versions of all rows that have factors; see the class comment. */
    public long modelVersion() {
        return modelVersion;
    }

    /** The row of {@code itemId}, or -1 when the matrix has never seen it. Safe from any thread. */
    public int rowOf(final String itemId) {
        Objects.requireNonNull(itemId, "itemId");
        return snapshot.rowOf(itemId);
    }

    /** The item id of {@code row}. Safe from any thread. */
    public String itemIdAt(final int row) {
        final Snapshot s = snapshot;
        Objects.checkIndex(row, s.size());
        return s.itemIds()[row];
    }

    /** True when {@code row} has factors and is active in the catalog. */
    public boolean isScorable(final int row) {
        final Snapshot s = snapshot;
        Objects.checkIndex(row, s.size());
        return s.status()[row] == 0;
    }

    /** True when {@code row} has factors, active in the catalog or not. */
    public boolean hasFactors(final int row) {
        final Snapshot s = snapshot;
        Objects.checkIndex(row, s.size());
        return (s.status()[row] & NO_FACTORS) == 0;
    }

    /** True unless the catalog marked the row's item inactive. */
    public boolean isActive(final int row) {
        final Snapshot s = snapshot;
        Objects.checkIndex(row, s.size());
        return (s.status()[row] & INACTIVE) == 0;
    }

    /** Version of the row's latest upsert, 0 when it has no factors. */
    public long versionAt(final int row) {
        final Snapshot s = snapshot;
        Objects.checkIndex(row, s.size());
        return s.versions()[row];
    }

    /** The bias of {@code row}. */
    public float biasAt(final int row) {
        final Snapshot s = snapshot;
        Objects.checkIndex(row, s.size());
        return s.biases()[row];
    }

    /** A copy of the factors of {@code row} (may be mixed old/new if the row is being rewritten). */
    public float[] factorsAt(final int row) {
        final Snapshot s = snapshot;
        Objects.checkIndex(row, s.size());
        return Arrays.copyOfRange(s.factors(), row * rank, (row + 1) * rank);
    }

    /**
     * Cosine similarity of two rows' factors, read in place (no copies: the reasons of every
     * recommendation list call this once per candidate and history item); 0 when either row is
     * all zeros.
     */
    public float cosine(final int a, final int b) {
        final Snapshot s = snapshot;
        Objects.checkIndex(a, s.size());
        Objects.checkIndex(b, s.size());
        final float norms = s.norms()[a] * s.norms()[b];
        if (!(norms > 0f)) {
            return 0f;
        }
        return KERNELS.dot(s.factors(), a * rank, s.factors(), b * rank, rank) / norms;
    }

    /** Euclidean norm of the row's factors, as cached on upsert. */
    public float normAt(final int row) {
        final Snapshot s = snapshot;
        Objects.checkIndex(row, s.size());
        return s.norms()[row];
    }

    /** The arrays as of now, for kernels in this package. Read {@code size} from it, not from the matrix. */
    Snapshot snapshot() {
        return snapshot;
    }

    // ---------------------------------------------------------------- writer side

    /**
     * Sets the item's factors, bias and version, appending a row for an unseen item. Writer
     * thread only. The factors are copied; the array may be reused by the caller.
     *
     * @return the item's row
     */
    public int upsert(final String itemId, final float[] factors, final float bias, final long version) {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(factors, "factors");
        if (factors.length != rank) {
            throw new IllegalArgumentException("item " + itemId + " has " + factors.length + " factors, matrix rank is " + rank);
        }
        final Snapshot s = snapshot;
        int row = s.rowOf(itemId);
        final Snapshot target = row >= 0 ? s : appendRow(s, itemId, NO_FACTORS);
        if (row < 0) {
            row = target.size() - 1;
        }
        System.arraycopy(factors, 0, target.factors(), row * rank, rank);
        target.biases()[row] = bias;
        target.norms()[row] = norm(factors);
        final long previousVersion = target.versions()[row];
        target.versions()[row] = version;
        target.status()[row] &= ~NO_FACTORS;
        if (target != s) {
            snapshot = target;
        }
        // Volatile write last: releases the row's plain writes to readers that read the version.
        modelVersion = modelVersion + version - previousVersion;
        return row;
    }

    /**
     * Records the catalog's active flag. An item not yet seen gets a row without factors so the
     * flag holds when its factors arrive. Writer thread only.
     *
     * @return the item's row, or -1 when an unseen item was marked active (nothing to remember)
     */
    public int setActive(final String itemId, final boolean active) {
        Objects.requireNonNull(itemId, "itemId");
        final Snapshot s = snapshot;
        final int row = s.rowOf(itemId);
        if (row < 0) {
            if (active) {
                return -1;
            }
            final Snapshot grown = appendRow(s, itemId, (byte) (NO_FACTORS | INACTIVE));
            snapshot = grown;
            releaseWrites();
            return grown.size() - 1;
        }
        if (active) {
            s.status()[row] &= ~INACTIVE;
        } else {
            s.status()[row] |= INACTIVE;
        }
        releaseWrites();
        return row;
    }

    /**
     * Drops the item's factors (a tombstone on the factor topic): the row stops being scorable
     * and its version leaves the model version, but the row number stays reserved for the item.
     * Writer thread only.
     *
     * @return true when the item had factors
     */
    public boolean remove(final String itemId) {
        Objects.requireNonNull(itemId, "itemId");
        final Snapshot s = snapshot;
        final int row = s.rowOf(itemId);
        if (row < 0 || (s.status()[row] & NO_FACTORS) != 0) {
            return false;
        }
        s.status()[row] |= NO_FACTORS;
        final long previousVersion = s.versions()[row];
        s.versions()[row] = 0;
        modelVersion = modelVersion - previousVersion;
        return true;
    }

    /**
     * Grows the arrays to hold at least {@code rows} rows in one copy, e.g. when the global
     * store's entry count is known before restoring it. Writer thread only.
     */
    public void ensureCapacity(final int rows) {
        final Snapshot s = snapshot;
        if (rows > s.capacity()) {
            if ((long) rows * rank > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("capacity × rank exceeds one Java array: " + rows + " × " + rank);
            }
            snapshot = copyInto(allocate(rank, rows), s);
        }
    }

    /**
     * Shrinks the arrays to the rows in use, dropping growth slack (up to a third of the
     * factor memory after amortised growth), e.g. once a restore has finished. Writer thread only.
     */
    public void trimToSize() {
        final Snapshot s = snapshot;
        if (s.capacity() > s.size() && s.size() > 0) {
            snapshot = copyInto(allocate(rank, s.size()), s);
        }
    }

    /**
     * A volatile write that changes nothing: readers that then read the version or the snapshot
     * are guaranteed to see the status bytes written just before.
     */
    private void releaseWrites() {
        modelVersion = modelVersion;
    }

    /** Adds a row for {@code itemId} and returns the snapshot that includes it, unpublished. */
    private Snapshot appendRow(final Snapshot s, final String itemId, final byte initialStatus) {
        final int row = s.size();
        Snapshot target = s;
        if (row == s.capacity()) {
            final long grown = Math.max(row + 1L, row + (row >> 1));
            final long maxRows = (Integer.MAX_VALUE - 8) / rank;
            if (row >= maxRows) {
                throw new IllegalStateException("matrix is full: " + row + " rows of rank " + rank);
            }
            target = copyInto(allocate(rank, (int) Math.min(grown, maxRows)), s);
        }
        target.itemIds()[row] = itemId;
        target.status()[row] = initialStatus;
        insertSlot(target.idSlots(), itemId, row);
        // Publishing size + 1 happens in the caller after the row's data is written.
        return target.withSize(row + 1);
    }

    private static Snapshot allocate(final int rank, final int capacity) {
        final int slots = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(capacity * SLOTS_PER_ROW) + 1);
        return new Snapshot(rank, new float[capacity * rank], new float[capacity], new float[capacity],
                new byte[capacity], new long[capacity], new String[capacity], new int[slots], 0);
    }

    /** Copies the rows of {@code from} into the fresh arrays of {@code to} and rebuilds the index. */
    private static Snapshot copyInto(final Snapshot to, final Snapshot from) {
        final int n = from.size();
        System.arraycopy(from.factors(), 0, to.factors(), 0, n * from.rank());
        System.arraycopy(from.biases(), 0, to.biases(), 0, n);
        System.arraycopy(from.norms(), 0, to.norms(), 0, n);
        System.arraycopy(from.status(), 0, to.status(), 0, n);
        System.arraycopy(from.versions(), 0, to.versions(), 0, n);
        System.arraycopy(from.itemIds(), 0, to.itemIds(), 0, n);
        for (int row = 0; row < n; row++) {
            insertSlot(to.idSlots(), from.itemIds()[row], row);
        }
        return to.withSize(n);
    }

    private static void insertSlot(final int[] slots, final String itemId, final int row) {
        int slot = slotFor(itemId.hashCode(), slots.length);
        while (slots[slot] != 0) {
            slot = slot + 1 == slots.length ? 0 : slot + 1;
        }
        slots[slot] = row + 1;
    }

    /**
     * Maps a hash to {@code [0, length)} without a power-of-two table (which could double the
     * index's memory): scramble the bits, then multiply-and-shift into range.
     */
    private static int slotFor(final int hash, final int length) {
        final int mixed = hash * 0x9E3779B9;
        return (int) (((mixed ^ (mixed >>> 16)) & 0xFFFFFFFFL) * length >>> 32);
    }

    /** The canonical norm: float sum of squares in factor order, then a square root. */
    static float norm(final float[] factors) {
        float sumOfSquares = 0f;
        for (final float f : factors) {
            sumOfSquares += f * f;
        }
        return (float) Math.sqrt(sumOfSquares);
    }
}

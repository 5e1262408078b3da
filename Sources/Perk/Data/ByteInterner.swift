#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A set of byte strings, each given a dense id in order of first appearance.
///
/// Loading a million orders looks up customer ids, checks order ids for
/// duplicates and interns store names and items; doing that with `String` keys
/// would make and hash a string per cell. Here keys are copied once into one
/// arena and found again by an open-addressing table over their bytes.
///
/// Lookups in big tables wait on memory, not on arithmetic, so each slot holds
/// what is needed to decide a match in one cache access: part of the hash, the
/// key's length, its id, and its first 16 bytes. Only longer keys are checked
/// against the arena too.
struct ByteInterner: Sendable {
    /// Every key's bytes, one after another.
    private var arena: [UInt8] = []
    /// Arena offset where each id's key starts; `count + 1` entries.
    private var starts: [Int] = [0]
    /// Three words per slot: `meta`, then the key's first 16 bytes (zero-padded).
    /// `meta` is the hash's top 24 bits, the length (255 for longer keys) in the
    /// next 8, and the id + 1 in the low 32; 0 marks an empty slot.
    private var slots: [UInt64]
    private var slotCount: Int

    private static let wordsPerSlot = 3
    private static let tagMask: UInt64 = 0xFFFF_FF00_0000_0000

    /// `capacity` keys fit without growing the table; `bytesPerKey` sizes the arena.
    init(capacity: Int = 8, bytesPerKey: Int = 8) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slotCount = size
        slots = Array(repeating: 0, count: size * Self.wordsPerSlot)
        starts.reserveCapacity(capacity + 1)
        arena.reserveCapacity(capacity * bytesPerKey)
    }

    var count: Int { starts.count - 1 }

    /// The id of `key`, adding it when new.
    mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int32, isNew: Bool) {
        let probe = Probe(key)
        if let found = find(key, probe) { return (found, false) }
        let id = Int32(count)
        arena.append(contentsOf: key)
        starts.append(arena.count)
        if count * 2 > slotCount { grow() } else { place(id, probe) }
        return (id, true)
    }

    mutating func intern(_ key: String) -> (id: Int32, isNew: Bool) {
        var key = key
        return key.withUTF8 { intern($0) }
    }

    func id(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(key, Probe(key))
    }

    // MARK: Batches

    /// Loads the slot where each probe's search starts, all in one tight loop.
    /// A lookup in a big table waits mostly for that one load; issued together,
    /// the loads overlap instead of waiting one after another.
    func firstSlots(of probes: [Probe], count: Int, into metas: inout [UInt64]) {
        let mask = slotCount - 1
        slots.withUnsafeBufferPointer { slots in
            for k in 0..<count {
                metas[k] = slots[(Int(truncatingIfNeeded: probes[k].hash) & mask) * Self.wordsPerSlot]
            }
        }
    }

    /// As `id(of:)`, with the probe and first slot from a batch already at hand.
    func id(of key: UnsafeBufferPointer<UInt8>, probe: Probe, firstSlot: UInt64) -> Int32? {
        // An empty first slot settles it without touching the table again.
        firstSlot == 0 ? nil : find(key, probe)
    }

    /// Calls `body` with the bytes of `id`'s key.
    func withKey<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[starts[Int(id)]..<starts[Int(id) + 1]])) }
    }

    /// For each id of `other`, the id of the same key here, adding the keys this set lacks.
    mutating func absorb(_ other: ByteInterner) -> [Int32] {
        (0..<Int32(other.count)).map { id in other.withKey(id) { intern($0).id } }
    }

    func string(_ id: Int32) -> String {
        String(decoding: arena[starts[Int(id)]..<starts[Int(id) + 1]], as: UTF8.self)
    }

    /// Ids ordered by their keys' UTF-8 bytes, the order tables use. Files
    /// are often written in that order already, which one pass finds out.
    func idsSortedByBytes() -> [Int32] {
        var ids = (0..<Int32(count)).map { $0 }
        arena.withUnsafeBufferPointer { a in
            starts.withUnsafeBufferPointer { s in
                func precedes(_ x: Int32, _ y: Int32) -> Bool {
                    let x0 = s[Int(x)], xn = s[Int(x) + 1] - x0, y0 = s[Int(y)], yn = s[Int(y) + 1] - y0
                    let order = memcmp(a.baseAddress! + x0, a.baseAddress! + y0, Swift.min(xn, yn))
                    return order != 0 ? order < 0 : xn < yn
                }
                guard a.baseAddress != nil, ids.count > 1 else { return }
                if (1..<ids.count).allSatisfy({ precedes(Int32($0 - 1), Int32($0)) }) { return }
                ids.sort(by: precedes)
            }
        }
        return ids
    }

    // MARK: Table

    /// What a slot must hold for `key`, computed once per lookup.
    struct Probe {
        var hash: UInt64
        /// The meta word without the id.
        var meta: UInt64
        var word0: UInt64
        var word1: UInt64

        init() {
            hash = 0
            meta = 0
            word0 = 0
            word1 = 0
        }

        @inline(__always)
        init(_ key: UnsafeBufferPointer<UInt8>) {
            hash = ByteInterner.hash(key)
            meta = (hash & ByteInterner.tagMask) | (UInt64(Swift.min(key.count, 255)) << 32)
            word0 = Self.word(key, from: 0)
            word1 = Self.word(key, from: 8)
        }

        /// Up to 8 bytes of `key` from `from`, zero-padded, little-endian.
        /// A short tail is read as one or two loads that end at the key's
        /// end, never past it; two loads may overlap, on equal bytes.
        @inline(__always)
        static func word(_ key: UnsafeBufferPointer<UInt8>, from: Int) -> UInt64 {
            let raw = UnsafeRawBufferPointer(key)
            let n = key.count - from
            if n >= 8 { return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: from, as: UInt64.self)) }
            if n <= 0 { return 0 }
            if key.count >= 8 {
                let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self))
                return last >> UInt64(8 * (8 - n))
            }
            if n >= 4 {
                let low = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: from, as: UInt32.self)))
                let high = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: key.count - 4, as: UInt32.self)))
                return low | high << UInt64(8 * (n - 4))
            }
            var w: UInt64 = 0
            var i = key.count - 1
            while i >= from {
                w = (w << 8) | UInt64(key[i])
                i -= 1
            }
            return w
        }
    }

    private func find(_ key: UnsafeBufferPointer<UInt8>, _ probe: Probe) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slotCount - 1
            var slot = Int(truncatingIfNeeded: probe.hash) & mask
            while true {
                let base = slot * Self.wordsPerSlot
                let meta = slots[base]
                if meta == 0 { return nil }
                if meta & 0xFFFF_FFFF_0000_0000 == probe.meta, slots[base + 1] == probe.word0, slots[base + 2] == probe.word1 {
                    let id = Int32(truncatingIfNeeded: meta & 0xFFFF_FFFF) - 1
                    if key.count <= 16 || tailMatches(id, key) { return id }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Compares the bytes after the first 16 with the stored key.
    private func tailMatches(_ id: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[Int(id)]
        guard starts[Int(id) + 1] - start == key.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            var i = 16
            while i < key.count {
                if a[start + i] != key[i] { return false }
                i += 1
            }
            return true
        }
    }

    private mutating func place(_ id: Int32, _ probe: Probe) {
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: probe.hash) & mask
        while slots[slot * Self.wordsPerSlot] != 0 { slot = (slot + 1) & mask }
        let base = slot * Self.wordsPerSlot
        slots[base] = probe.meta | UInt64(UInt32(bitPattern: id + 1))
        slots[base + 1] = probe.word0
        slots[base + 2] = probe.word1
    }

    private mutating func grow() {
        slotCount *= 2
        slots = Array(repeating: 0, count: slotCount * Self.wordsPerSlot)
        let keys = arena
        let bounds = starts
        keys.withUnsafeBufferPointer { a in
            for id in 0..<count {
                place(Int32(id), Probe(UnsafeBufferPointer(rebasing: a[bounds[id]..<bounds[id + 1]])))
            }
        }
    }

    /// Eight bytes at a time, each word multiplied in, then a final mix so
    /// the low bits used for slots are well spread. Keys here are short ids
    /// and names, so a byte-at-a-time hash would be most of a lookup's work.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var i = 0
        while i + 8 <= key.count {
            h = (h ^ Probe.word(key, from: i)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        if i < key.count {
            h = (h ^ Probe.word(key, from: i)) &* 0xFF51_AFD7_ED55_8CCD
        }
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}

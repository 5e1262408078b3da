/// A set of byte strings, each given a dense id in order of first appearance.
///
/// Loading a million orders looks up customer ids, checks order ids for
/// duplicates and interns store names and items; doing that with `String` keys
/// would make and hash a string per cell. Here keys are copied once into one
/// arena and found again by an open-addressing table over their bytes.
///
/// The table is laid out for memory, which is what lookups wait on: a slot
/// holds part of the key's hash and the offset of its arena record, and the
/// record holds the id and length right before the key's bytes, so a lookup
/// touches two cache lines, not four.
struct ByteInterner: Sendable {
    /// Records: id (4 bytes), key length (4 bytes), then the key's bytes.
    private var arena: [UInt8] = []
    /// Arena offset of each id's record.
    private var records: [Int] = []
    private var hashes: [UInt64] = []
    /// Per slot: the hash's top 24 bits, then the record's offset + 1 in the low
    /// 40 bits; 0 marks an empty slot. Always a power of two long.
    private var slots: [UInt64]

    private static let tagMask: UInt64 = 0xFFFF_FF00_0000_0000
    private static let offsetMask: UInt64 = 0x0000_00FF_FFFF_FFFF
    private static let headerSize = 8

    /// `capacity` keys fit without growing the table; `bytesPerKey` sizes the arena.
    init(capacity: Int = 8, bytesPerKey: Int = 8) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        records.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
        arena.reserveCapacity(capacity * (bytesPerKey + Self.headerSize))
    }

    var count: Int { records.count }

    /// The id of `key`, adding it when new.
    mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int32, isNew: Bool) {
        let hash = Self.hash(key)
        if let found = find(key, hash: hash) { return (found, false) }
        let id = Int32(records.count)
        let offset = arena.count
        withUnsafeBytes(of: UInt32(bitPattern: id).littleEndian) { arena.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: key.count).littleEndian) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: key)
        records.append(offset)
        hashes.append(hash)
        if records.count * 2 > slots.count { grow() } else { place(id, hash: hash) }
        return (id, true)
    }

    mutating func intern(_ key: String) -> (id: Int32, isNew: Bool) {
        var key = key
        return key.withUTF8 { intern($0) }
    }

    func id(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(key, hash: Self.hash(key))
    }

    func string(_ id: Int32) -> String {
        arena.withUnsafeBufferPointer { String(decoding: key(id, in: $0), as: UTF8.self) }
    }

    /// Ids ordered by their keys' UTF-8 bytes, the order tables use.
    func idsSortedByBytes() -> [Int32] {
        var ids = (0..<Int32(records.count)).map { $0 }
        arena.withUnsafeBufferPointer { a in
            ids.sort { key($0, in: a).lexicographicallyPrecedes(key($1, in: a)) }
        }
        return ids
    }

    // MARK: Table

    private func key(_ id: Int32, in a: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let record = records[Int(id)]
        let length = Int(Self.load32(a, record + 4))
        let start = record + Self.headerSize
        return UnsafeBufferPointer(rebasing: a[start..<(start + length)])
    }

    private func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        let tag = hash & Self.tagMask
        return slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { a in
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    if entry & Self.tagMask == tag {
                        let record = Int(entry & Self.offsetMask) - 1
                        if Int(Self.load32(a, record + 4)) == key.count, Self.equal(a, record + Self.headerSize, key) {
                            return Int32(bitPattern: Self.load32(a, record))
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    @inline(__always)
    private static func load32(_ a: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawBufferPointer(a).loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ lo: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < key.count {
            if a[lo + i] != key[i] { return false }
            i += 1
        }
        return true
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash & Self.tagMask) | UInt64(records[Int(id)] + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for id in 0..<records.count { place(Int32(id), hash: hashes[id]) }
    }

    /// FNV-1a, then a final mix so the low bits used for slots are well spread.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}

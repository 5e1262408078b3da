/// Turns a `SampleShopPlan` into CSV bytes: orders first (their amounts make the
/// customers' points), then customers.
///
/// Rows are built as UTF-8 bytes in one reused buffer and handed to `flush` in
/// chunks of about 64 KB that always end at a row boundary, so a chunk is always
/// valid UTF-8. A million orders take well under a second this way; building a
/// `String` per field would take many times longer.

// MARK: - Row buffer

struct SampleRowBuffer {
    private(set) var bytes: [UInt8] = []
    static let chunkSize = 1 << 16

    init() { bytes.reserveCapacity(SampleRowBuffer.chunkSize + 1024) }

    mutating func append(_ utf8: [UInt8]) { bytes.append(contentsOf: utf8) }
    mutating func append(byte: UInt8) { bytes.append(byte) }
    mutating func comma() { bytes.append(UInt8(ascii: ",")) }
    mutating func endRow() { bytes.append(UInt8(ascii: "\n")) }

    /// A text field, quoted as RFC 4180 asks when it holds a comma, a quote or a
    /// line break (quotes inside are doubled).
    mutating func appendField(_ utf8: [UInt8]) {
        let quote = UInt8(ascii: "\"")
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 10 || $0 == 13 }
        guard needsQuotes else { return bytes.append(contentsOf: utf8) }
        bytes.append(quote)
        for byte in utf8 {
            if byte == quote { bytes.append(quote) }
            bytes.append(byte)
        }
        bytes.append(quote)
    }

    mutating func appendField(_ text: String) { appendField(Array(text.utf8)) }

    /// A decimal integer, zero-padded to `width` digits.
    mutating func appendInteger(_ value: Int, width: Int = 1) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        var digits = 1
        var probe = rest
        while probe >= 10 { probe /= 10; digits += 1 }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(digits, width)))
        var position = bytes.count - 1
        while position >= start {
            bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            if rest == 0 { break }
            position -= 1
        }
    }

    /// Cents as money with exactly two decimals: 1250 is `12.50`.
    mutating func appendMoney(cents: Int) {
        if cents < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = Int(cents.magnitude)
        appendInteger(magnitude / 100)
        bytes.append(UInt8(ascii: "."))
        appendInteger(magnitude % 100, width: 2)
    }

    /// `YYYY-MM-DD`, the same text as `LocalDate.description`.
    mutating func appendDate(_ date: LocalDate) {
        let (year, month, day) = date.components
        appendInteger(year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendInteger(month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendInteger(day, width: 2)
    }

    /// `HH:MM:SS` from seconds since midnight.
    mutating func appendTime(seconds: Int32) {
        let s = Int(seconds)
        appendInteger(s / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendInteger(s / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendInteger(s % 60, width: 2)
    }

    /// Hands over the rows so far once there are enough of them; call between rows.
    mutating func flushIfFull(_ flush: ([UInt8]) -> Void) {
        if bytes.count >= SampleRowBuffer.chunkSize { self.flush(flush) }
    }

    mutating func flush(_ flush: ([UInt8]) -> Void) {
        guard !bytes.isEmpty else { return }
        flush(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

// MARK: - orders.csv

enum SampleOrderWriter {
    static let header = "order_id,customer_id,ordered_at,amount,items,store,channel,discount,coupon_code"

    private static let menuUTF8 = SampleCatalog.menu.map(\.utf8)
    private static let storeUTF8 = SampleCatalog.stores.map { Array($0.code.utf8) }
    private static let storesByCity = SampleCatalog.cities.indices.map { city in
        SampleCatalog.stores.indices.filter { SampleCatalog.stores[$0].city == city }
    }
    private static let popularDrinks = SampleWeightedChoice(SampleCatalog.drinkIndexes.map { SampleCatalog.menu[$0].popularity })
    private static let toppings = SampleWeightedChoice(SampleCatalog.toppingIndexes.map { SampleCatalog.menu[$0].popularity })
    /// 1, 2 or 3 drinks: in the shop most buy one, delivery orders are for several people.
    private static let drinksInStore = SampleWeightedChoice([650, 270, 80])
    private static let drinksDelivered = SampleWeightedChoice([450, 380, 170])

    enum Channel: Int {
        case store, delivery, app
        static let utf8: [[UInt8]] = [Array("store".utf8), Array("delivery".utf8), Array("app".utf8)]
    }

    /// Writes the header and every order; returns each customer's spend in cents.
    static func write(_ plan: SampleShopPlan, flush: ([UInt8]) -> Void) -> [Int] {
        var state = SampleCustomerHistory(count: plan.customers.count)
        // Plain values without references: copying one per order costs nothing.
        let profiles = plan.customers.map(SampleOrderingProfile.init)
        var rng = SampleRandom(seed: plan.seed, stream: .orderDetails)
        var row = SampleRowBuffer()
        row.append(Array(header.utf8))
        row.endRow()

        var cachedDay = Int32.min
        var cachedDate: [UInt8] = []
        var items: [Int] = []
        var itemsText: [UInt8] = []
        for (position, order) in plan.orders.enumerated() {
            if order.day != cachedDay {
                // Orders come sorted by day: format each date once.
                var dateBuffer = SampleRowBuffer()
                dateBuffer.appendDate(LocalDate(day: order.day))
                cachedDate = dateBuffer.bytes
                cachedDay = order.day
            }
            let customer = order.customer >= 0 ? profiles[Int(order.customer)] : nil
            let channel = pickChannel(customer, &rng)
            let store = pickStore(customer, channel, &rng)
            pickItems(customer, channel, into: &items, &rng)
            let subtotal = items.reduce(0) { $0 + SampleCatalog.menu[$1].priceCents }
            var coupon: SampleCatalog.Coupon?
            if let customer {
                coupon = state.pickCoupon(Int(order.customer), customer, day: LocalDate(day: order.day),
                                          channel: channel, &rng)
                // A coupon never makes an order free or negative.
                if let c = coupon, c.discountCents >= subtotal { coupon = nil }
            }
            let amountCents = subtotal - (coupon?.discountCents ?? 0)
            if order.customer >= 0 {
                state.record(Int(order.customer), day: order.day, amountCents: amountCents,
                             usedBirthdayCoupon: coupon?.code == SampleCatalog.birthday.code)
            }

            row.append(byte: UInt8(ascii: "O"))
            row.appendInteger(position + 1, width: plan.orderIDDigits)
            row.comma()
            if order.customer >= 0 {
                row.append(byte: UInt8(ascii: "C"))
                row.appendInteger(Int(order.customer) + 1, width: plan.customerIDDigits)
            }
            row.comma()
            row.append(cachedDate)
            row.append(byte: UInt8(ascii: "T"))
            row.appendTime(seconds: order.seconds)
            row.comma()
            row.appendMoney(cents: amountCents)
            row.comma()
            itemsText.removeAll(keepingCapacity: true)
            for (n, item) in items.enumerated() {
                if n > 0 { itemsText.append(UInt8(ascii: ";")) }
                itemsText.append(contentsOf: menuUTF8[item])
            }
            row.appendField(itemsText)
            row.comma()
            row.append(storeUTF8[store])
            row.comma()
            row.append(Channel.utf8[channel.rawValue])
            row.comma()
            if let coupon {
                row.appendMoney(cents: coupon.discountCents)
                row.comma()
                row.appendField(Array(coupon.code.utf8))
            } else {
                row.comma()
            }
            row.endRow()
            row.flushIfFull(flush)
        }
        row.flush(flush)
        return state.spendCents
    }

    // MARK: Order details

    private static func pickChannel(_ customer: SampleOrderingProfile?, _ rng: inout SampleRandom) -> Channel {
        let r = rng.below(1000)
        guard let customer else {
            // Guests did not log in, so they cannot use the app.
            return r < 200 ? .delivery : .store
        }
        if r < customer.deliveryPerMille { return .delivery }
        if r < customer.deliveryPerMille + customer.appPerMille { return .app }
        return .store
    }

    /// Delivery comes from the home store; walk-ins are mostly there too, sometimes
    /// at another store in town, now and then anywhere (travel).
    private static func pickStore(_ customer: SampleOrderingProfile?, _ channel: Channel, _ rng: inout SampleRandom) -> Int {
        guard let customer else { return rng.below(SampleCatalog.stores.count) }
        if channel == .delivery { return customer.homeStore }
        let r = rng.below(1000)
        if r < 850 { return customer.homeStore }
        if r < 950 {
            let sameCity = storesByCity[SampleCatalog.stores[customer.homeStore].city]
            return sameCity[rng.below(sameCity.count)]
        }
        return rng.below(SampleCatalog.stores.count)
    }

    /// 1-3 drinks, mostly the customer's favourites, then sometimes a topping or two.
    private static func pickItems(_ customer: SampleOrderingProfile?, _ channel: Channel, into items: inout [Int],
                                  _ rng: inout SampleRandom) {
        items.removeAll(keepingCapacity: true)
        let drinks = 1 + (channel == .delivery ? drinksDelivered : drinksInStore).pick(&rng)
        for _ in 0 ..< drinks {
            let r = rng.below(1000)
            if let customer, r < 500 {
                items.append(customer.favorite)
            } else if let customer, r < 700 {
                items.append(customer.secondFavorite)
            } else {
                items.append(SampleCatalog.drinkIndexes[popularDrinks.pick(&rng)])
            }
        }
        if rng.chance(perMille: 160) {
            items.append(SampleCatalog.toppingIndexes[toppings.pick(&rng)])
            if rng.chance(perMille: 200) {
                items.append(SampleCatalog.toppingIndexes[toppings.pick(&rng)])
            }
        }
    }
}

/// The part of a customer that shapes their orders.
struct SampleOrderingProfile {
    var favorite: Int
    var secondFavorite: Int
    var homeStore: Int
    var deliveryPerMille: Int
    var appPerMille: Int
    var tier: SampleTier
    var joinedDuringPeriod: Bool
    var birthday: LocalDate?

    init(_ customer: SampleCustomer) {
        favorite = customer.favorite
        secondFavorite = customer.secondFavorite
        homeStore = customer.homeStore
        deliveryPerMille = customer.deliveryPerMille
        appPerMille = customer.appPerMille
        tier = customer.tier
        joinedDuringPeriod = customer.joinedDuringPeriod
        birthday = customer.birthday
    }
}

/// What the order writer remembers about each customer's orders so far: coupons
/// depend on it (a welcome coupon on the first order, one birthday coupon a year).
struct SampleCustomerHistory {
    private(set) var spendCents: [Int]
    private var orders: [Int32]
    private var firstOrderDay: [Int32]
    /// The year a birthday coupon was last used, 0 for never.
    private var birthdayCouponYear: [Int32]

    init(count: Int) {
        spendCents = Array(repeating: 0, count: count)
        orders = Array(repeating: 0, count: count)
        firstOrderDay = Array(repeating: 0, count: count)
        birthdayCouponYear = Array(repeating: 0, count: count)
    }

    mutating func record(_ index: Int, day: Int32, amountCents: Int, usedBirthdayCoupon: Bool) {
        if orders[index] == 0 { firstOrderDay[index] = day }
        orders[index] += 1
        spendCents[index] += amountCents
        if usedBirthdayCoupon { birthdayCouponYear[index] = Int32(LocalDate(day: day).year) }
    }

    /// At most one coupon per order; most orders have none.
    func pickCoupon(_ index: Int, _ customer: SampleOrderingProfile, day: LocalDate,
                    channel: SampleOrderWriter.Channel, _ rng: inout SampleRandom) -> SampleCatalog.Coupon? {
        let earlier = orders[index]
        if customer.joinedDuringPeriod, earlier == 0, rng.chance(perMille: 600) {
            return SampleCatalog.welcome
        }
        if customer.joinedDuringPeriod, earlier == 1, firstOrderDay[index] + 7 >= day.day, rng.chance(perMille: 500) {
            return SampleCatalog.comeBack
        }
        if let birthday = customer.birthday, birthdayCouponYear[index] != Int32(day.year),
           SampleCustomerHistory.isNearBirthday(day, birthday), rng.chance(perMille: 700) {
            return SampleCatalog.birthday
        }
        if customer.tier == .gold || customer.tier == .vip, rng.chance(perMille: 15) {
            return SampleCatalog.loyalty
        }
        if channel == .app, rng.chance(perMille: 60) {
            return SampleCatalog.app
        }
        if (7 ... 8).contains(day.month), rng.chance(perMille: 30) {
            return SampleCatalog.summer
        }
        return nil
    }

    /// Within three days of a birthday, also across New Year (Dec 30 is near Jan 1).
    static func isNearBirthday(_ day: LocalDate, _ birthday: LocalDate) -> Bool {
        (day.year - 1 ... day.year + 1).contains { year in
            guard let anniversary = birthday.anniversary(in: year) else { return false }
            return abs(anniversary.distance(to: day)) <= 3
        }
    }
}

// MARK: - customers.csv

enum SampleCustomerWriter {
    static let header =
        "customer_id,name,tier,birthday,joined,points,sms_opt_in,wechat_opt_in,email_opt_in,sugar_pref,city,open_complaints"

    private static let trueUTF8 = Array("true".utf8)
    private static let falseUTF8 = Array("false".utf8)
    private static let tierUTF8 = SampleTier.allCases.map { Array($0.name.utf8) }
    private static let sugarUTF8 = SampleSugarPreference.allCases.map { Array($0.rawValue.utf8) }
    private static let cityUTF8 = SampleCatalog.cities.map { Array($0.name.utf8) }

    static func write(_ plan: SampleShopPlan, spendCents: [Int], flush: ([UInt8]) -> Void) {
        var row = SampleRowBuffer()
        row.append(Array(header.utf8))
        row.endRow()
        for (index, customer) in plan.customers.enumerated() {
            row.append(byte: UInt8(ascii: "C"))
            row.appendInteger(index + 1, width: plan.customerIDDigits)
            row.comma()
            row.appendField(customer.name)
            row.comma()
            row.append(tierUTF8[customer.tier.rawValue])
            row.comma()
            if let birthday = customer.birthday { row.appendDate(birthday) }
            row.comma()
            row.appendDate(customer.joined)
            row.comma()
            row.appendInteger(points(customer, spendCents: index < spendCents.count ? spendCents[index] : 0))
            row.comma()
            appendFlag(customer.smsOptIn, &row)
            row.comma()
            appendFlag(customer.wechatOptIn, &row)
            row.comma()
            appendFlag(customer.emailOptIn, &row)
            row.comma()
            if let sugar = customer.sugar { row.append(sugarUTF8[sugarIndex(sugar)]) }
            row.comma()
            if let city = customer.city { row.append(cityUTF8[city]) }
            row.comma()
            row.appendInteger(customer.openComplaints)
            row.endRow()
            row.flushIfFull(flush)
        }
        row.flush(flush)
    }

    /// One point per whole yuan spent, plus points from before the period, minus
    /// what was redeemed.
    static func points(_ customer: SampleCustomer, spendCents: Int) -> Int {
        let balance = spendCents / 100 + customer.carriedPoints
        return max(0, balance - balance * customer.redeemedPercent / 100)
    }

    private static func sugarIndex(_ sugar: SampleSugarPreference) -> Int {
        SampleSugarPreference.allCases.firstIndex(of: sugar) ?? 0
    }

    private static func appendFlag(_ flag: Bool?, _ row: inout SampleRowBuffer) {
        guard let flag else { return }
        row.append(flag ? trueUTF8 : falseUTF8)
    }
}

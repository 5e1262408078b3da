/// Everything about the sample shop that is decided before a row is written: the
/// customers, how often each one buys, and when every order happens.
///
/// Orders are written afterwards in time order (see `SampleOrderWriter`), which is
/// also when their drinks, channel and coupon are drawn, so a coupon can depend on
/// the customer's earlier orders.
struct SampleShopPlan {
    let firstDay: LocalDate
    let lastDay: LocalDate
    let seed: UInt64
    let calendar: SampleCalendar
    let customers: [SampleCustomer]
    /// Every order, sorted by time; guests have `customer == -1`.
    let orders: [SampleScheduledOrder]
    /// Digits after `C` and `O`: at least 5 and 7, more when the counts need them.
    let customerIDDigits: Int
    let orderIDDigits: Int

    init(_ config: SampleShopConfig) {
        let customerCount = max(0, config.customers)
        let orderCount = max(0, config.orders)
        // A reversed range is taken to mean the same days, not an empty one.
        firstDay = min(config.firstDay, config.lastDay)
        lastDay = max(config.firstDay, config.lastDay)
        seed = config.seed
        let calendar = SampleCalendar(firstDay: firstDay, lastDay: lastDay)
        self.calendar = calendar

        var people = (0 ..< customerCount).map { index in
            var rng = SampleRandom(seed: config.seed, stream: .profile, index: index)
            return SampleCustomer(index: index, calendar: calendar, rng: &rng)
        }
        // Guests who did not log in (`SampleShopConfig.guestOrders`).
        let guestOrders = config.guestOrders
        SampleOrderAllocation.assign(memberOrders: orderCount - guestOrders, to: &people)
        SampleTierAssignment.assign(to: &people, lastDay: lastDay, seed: config.seed)
        for index in people.indices {
            var rng = SampleRandom(seed: config.seed, stream: .customerExtras, index: index)
            people[index].drawAccountDetails(&rng)
        }
        customers = people
        orders = SampleOrderSchedule.make(customers: people, guestOrders: guestOrders, calendar: calendar, seed: config.seed)
        customerIDDigits = SampleShopPlan.idDigits(count: customerCount, minimum: 5)
        orderIDDigits = SampleShopPlan.idDigits(count: orderCount, minimum: 7)
    }

    /// Zero-padded width for ids 1 ... count: `minimum`, or more when count needs it.
    static func idDigits(count: Int, minimum: Int) -> Int {
        max(minimum, String(count).count)
    }
}

// MARK: - Calendar

/// Which days and hours are busy: summer peak, a dip around Chinese New Year,
/// busier weekends, lunch and afternoon-tea peaks.
struct SampleCalendar {
    let firstDay: LocalDate
    let lastDay: LocalDate
    /// `cumulative[k]` is the total weight of the `k` days before `firstDay + k`.
    private let cumulative: [Int]

    private static let hours = SampleWeightedChoice(SampleCatalog.hourWeight)

    init(firstDay: LocalDate, lastDay: LocalDate) {
        self.firstDay = firstDay
        self.lastDay = lastDay
        let newYears = SampleCatalog.lunarNewYear.compactMap { LocalDate(year: $0.0, month: $0.1, day: $0.2) }
        var running = 0
        var table = [0]
        table.reserveCapacity(firstDay.distance(to: lastDay) + 2)
        for day in firstDay ... lastDay {
            running += SampleCalendar.weight(of: day, newYears: newYears)
            table.append(running)
        }
        cumulative = table
    }

    /// Relative order volume of a day; always positive.
    static func weight(of date: LocalDate, newYears: [LocalDate]) -> Int {
        var weight = SampleCatalog.monthWeight[date.month - 1] * SampleCatalog.weekdayWeight[date.weekday - 1]
        // From New Year's Eve's eve to the end of the holiday week, about half the trade.
        if newYears.contains(where: { (-3 ... 7).contains($0.distance(to: date)) }) {
            weight = weight * 45 / 100
        }
        return weight
    }

    var dayCount: Int { cumulative.count - 1 }

    /// A day in `from ... through` (clamped to the period), busy days more likely.
    func randomDay(from: LocalDate, through: LocalDate, _ rng: inout SampleRandom) -> LocalDate {
        let lo = max(0, min(dayCount - 1, firstDay.distance(to: from)))
        let hi = max(lo, min(dayCount - 1, firstDay.distance(to: through)))
        let r = cumulative[lo] + rng.below(cumulative[hi + 1] - cumulative[lo])
        // The day k in lo ... hi with cumulative[k] <= r < cumulative[k + 1].
        var a = lo, b = hi
        while a < b {
            let mid = (a + b + 1) / 2
            if cumulative[mid] <= r { a = mid } else { b = mid - 1 }
        }
        return firstDay.advanced(by: a)
    }

    /// Seconds since midnight within opening hours, 10:00:00 to 21:59:59.
    func randomTime(_ rng: inout SampleRandom) -> Int32 {
        let hour = SampleCatalog.openingHour + SampleCalendar.hours.pick(&rng)
        return Int32(hour * 3600 + rng.below(3600))
    }
}

// MARK: - Customers

/// How often a customer comes, before seasonality and churn. Most come once to
/// three times; a few regulars make a large share of the orders.
enum SampleVisitHabit: CaseIterable {
    case never, rare, occasional, regular, devoted

    /// Share of customers, in per-mille, in `allCases` order.
    static let shares = SampleWeightedChoice([70, 560, 200, 120, 50])

    /// Light habits want a number of orders; heavy ones get a share of what is left.
    var isHeavy: Bool { self == .regular || self == .devoted }
}

enum SampleSugarPreference: String, CaseIterable {
    case less, half, normal, extra

    /// less, half, normal, extra, then "left blank", in per-mille.
    static let shares = SampleWeightedChoice([300, 220, 280, 60, 140])
}

enum SampleTier: Int, CaseIterable {
    case member, silver, gold, vip

    var name: String {
        switch self {
        case .member: return "MEMBER"
        case .silver: return "SILVER"
        case .gold: return "GOLD"
        case .vip: return "VIP"
        }
    }
}

struct SampleCustomer {
    var name: String
    var birthday: LocalDate?
    var joined: LocalDate
    /// True for customers who joined within the period: they get a welcome coupon,
    /// and their first order is on `firstActive`.
    var joinedDuringPeriod: Bool
    /// The city the customer gave, or nil when left blank; `homeStore` is known anyway.
    var city: Int?
    var homeStore: Int
    var sugar: SampleSugarPreference?
    var smsOptIn: Bool?
    var wechatOptIn: Bool?
    var emailOptIn: Bool?
    var habit: SampleVisitHabit
    /// Light habits: the orders wanted in the period. Heavy habits: a relative rate.
    var appetite: Int
    /// Menu indexes of the two drinks the customer orders most.
    var favorite: Int
    var secondFavorite: Int
    var deliveryPerMille: Int
    var appPerMille: Int
    /// The customer orders on `firstActive ... lastActive`; churned customers stop early.
    var firstActive: LocalDate
    var lastActive: LocalDate

    // Decided after all profiles exist:
    var orderCount = 0
    var tier = SampleTier.member
    var carriedPoints = 0
    /// Percent of points already spent on rewards.
    var redeemedPercent = 0
    var openComplaints = 0

    var activeDays: Int { firstActive.distance(to: lastActive) + 1 }

    init(index: Int, calendar: SampleCalendar, rng: inout SampleRandom) {
        habit = SampleVisitHabit.allCases[SampleVisitHabit.shares.pick(&rng)]
        name = SampleNames.random(&rng)
        birthday = SampleCustomer.randomBirthday(periodStart: calendar.firstDay, &rng)

        joinedDuringPeriod = rng.chance(perMille: 350)
        if joinedDuringPeriod {
            joined = calendar.randomDay(from: calendar.firstDay, through: calendar.lastDay, &rng)
            // Most sign up at the counter with their first order; some a few days before.
            let delay = rng.chance(perMille: 700) ? 0 : rng.between(1 ... 7)
            firstActive = min(calendar.lastDay, joined.advanced(by: delay))
        } else {
            joined = calendar.firstDay.advanced(by: -1 - rng.below(6 * 365))
            firstActive = calendar.firstDay
        }
        lastActive = calendar.lastDay
        let window = firstActive.distance(to: lastActive) + 1
        if window >= 60, rng.chance(perMille: 200) {
            // Churned: stopped buying at least a month after they started.
            lastActive = firstActive.advanced(by: 30 + rng.below(window - 30))
        }

        let cityIndex = SampleCustomer.cityChoice.pick(&rng)
        let cityStores = SampleCatalog.stores.indices.filter { SampleCatalog.stores[$0].city == cityIndex }
        homeStore = cityStores.isEmpty ? 0 : cityStores[rng.below(cityStores.count)]
        city = rng.chance(perMille: 985) ? cityIndex : nil

        let sugarPick = SampleSugarPreference.shares.pick(&rng)
        sugar = sugarPick < SampleSugarPreference.allCases.count ? SampleSugarPreference.allCases[sugarPick] : nil
        wechatOptIn = SampleCustomer.optIn(yes: 780, blank: 30, &rng)
        smsOptIn = SampleCustomer.optIn(yes: 330, blank: 40, &rng)
        emailOptIn = SampleCustomer.optIn(yes: 180, blank: 50, &rng)

        let favorites = sugar == .less ? SampleCustomer.lessSugarDrinks : SampleCustomer.popularDrinks
        favorite = SampleCatalog.drinkIndexes[favorites.pick(&rng)]
        var second = favorite
        for _ in 0 ..< 4 where second == favorite {
            second = SampleCatalog.drinkIndexes[SampleCustomer.popularDrinks.pick(&rng)]
        }
        secondFavorite = second

        deliveryPerMille = rng.chance(perMille: 120) ? rng.between(550 ... 800) : rng.between(100 ... 250)
        appPerMille = min(950 - deliveryPerMille, rng.chance(perMille: 150) ? rng.between(450 ... 650) : rng.between(80 ... 200))

        switch habit {
        case .never: appetite = 0
        case .rare: appetite = 1 + SampleCustomer.rareOrders.pick(&rng)
        case .occasional: appetite = rng.between(4 ... 16)
        case .regular: appetite = rng.between(60 ... 140)
        case .devoted: appetite = rng.between(200 ... 400)
        }
    }

    /// Points carried from before the period, rewards redeemed, open complaints:
    /// drawn once the order count is known, because busy customers complain more.
    mutating func drawAccountDetails(_ rng: inout SampleRandom) {
        carriedPoints = joinedDuringPeriod ? 0 : rng.between(0 ... 400)
        redeemedPercent = rng.chance(perMille: 300) ? rng.between(5 ... 30) : 0
        let complaintPerMille = orderCount == 0 ? 5 : 15 + min(orderCount, 60) / 2
        if rng.chance(perMille: complaintPerMille) {
            openComplaints = rng.chance(perMille: 200) ? 2 : 1
        }
    }

    // MARK: Drawing helpers

    private static let cityChoice = SampleWeightedChoice(SampleCatalog.cities.map(\.share))
    private static let popularDrinks = SampleWeightedChoice(SampleCatalog.drinkIndexes.map { SampleCatalog.menu[$0].popularity })
    private static let lessSugarDrinks = SampleWeightedChoice(
        SampleCatalog.drinkIndexes.map { SampleCatalog.menu[$0].lessSugarAffinity })
    /// 1, 2 or 3 orders for rare visitors.
    private static let rareOrders = SampleWeightedChoice([550, 280, 170])

    /// `true`, `false` or blank (never asked).
    private static func optIn(yes: Int, blank: Int, _ rng: inout SampleRandom) -> Bool? {
        let r = rng.below(1000)
        if r < blank { return nil }
        return r < blank + yes
    }

    /// Ages 16 to 55; about 15% unknown. A few are Feb 29 birthdays, so the
    /// "birthday in the next days" rules meet leap-day customers.
    private static func randomBirthday(periodStart: LocalDate, _ rng: inout SampleRandom) -> LocalDate? {
        guard rng.chance(perMille: 850) else { return nil }
        let year = periodStart.year - rng.between(16 ... 55)
        if rng.chance(perMille: 5) {
            var leapYear = year - year % 4
            while !LocalDate.isLeap(leapYear) { leapYear -= 4 }
            return LocalDate(year: leapYear, month: 2, day: 29)
        }
        guard let newYear = LocalDate(year: year, month: 1, day: 1) else { return nil }
        return newYear.advanced(by: rng.below(LocalDate.isLeap(year) ? 366 : 365))
    }
}

/// Customer names: mostly Chinese, some romanized or English, a few written
/// "Surname, Given" (so the CSV must quote them) and a rare nickname in quotes.
enum SampleNames {
    private static let surnames = SampleWeightedChoice(SampleCatalog.surnames.map(\.weight))
    /// Chinese, pinyin, English, "Surname, Given", nickname; per-mille.
    private static let forms = SampleWeightedChoice([800, 100, 75, 20, 5])
    private static let nicknames = ["Xiaobao", "Bubble", "Tiger", "Panda", "Momo"]

    static func random(_ rng: inout SampleRandom) -> String {
        let surname = SampleCatalog.surnames[surnames.pick(&rng)]
        let given = SampleCatalog.givenNames[rng.below(SampleCatalog.givenNames.count)]
        let english = SampleCatalog.englishNames[rng.below(SampleCatalog.englishNames.count)]
        switch forms.pick(&rng) {
        case 0: return surname.han + given.han
        case 1: return surname.pinyin + " " + given.pinyin
        case 2: return english + " " + surname.pinyin
        case 3: return surname.pinyin + ", " + given.pinyin
        default: return english + " \"" + nicknames[rng.below(nicknames.count)] + "\" " + surname.pinyin
        }
    }
}

// MARK: - How many orders each customer makes

/// Splits the member orders over customers so the total is exact: light visitors
/// get the few orders they want, heavy visitors share the rest by rate and by how
/// long they were active.
enum SampleOrderAllocation {
    static func assign(memberOrders: Int, to customers: inout [SampleCustomer]) {
        guard !customers.isEmpty else { return }
        var light = customers.map { $0.habit.isHeavy ? 0 : $0.appetite }
        var heavy = customers.map { $0.habit.isHeavy ? $0.appetite * $0.activeDays : 0 }
        var lightWanted = light.reduce(0, +)
        var heavyWeight = heavy.reduce(0, +)
        if lightWanted == 0, heavyWeight == 0 {
            // Tiny populations of non-buyers still have to take the orders.
            light = Array(repeating: 1, count: customers.count)
            lightWanted = customers.count
            heavy = Array(repeating: 0, count: customers.count)
            heavyWeight = 0
        }
        // Heavy visitors keep at least 40% of the orders, so the tail stays heavy
        // even when there are few orders per customer.
        let heavyBudget: Int
        if heavyWeight == 0 {
            heavyBudget = 0
        } else if lightWanted == 0 {
            heavyBudget = memberOrders
        } else {
            heavyBudget = max(memberOrders - lightWanted, memberOrders * 2 / 5)
        }
        let lightBudget = memberOrders - heavyBudget
        let lightCounts = lightBudget == lightWanted ? light : apportion(lightBudget, by: light)
        let heavyCounts = apportion(heavyBudget, by: heavy)
        for index in customers.indices {
            customers[index].orderCount = lightCounts[index] + heavyCounts[index]
        }
    }

    /// `total` split in proportion to `weights`, summing to exactly `total`.
    /// Part i is floor(total * W(i) / W) - floor(total * W(i-1) / W) with W(i) the
    /// running weight, so each part is within one of its exact share.
    static func apportion(_ total: Int, by weights: [Int]) -> [Int] {
        let weightSum = weights.reduce(0) { $0 + max(0, $1) }
        guard total > 0, weightSum > 0 else { return Array(repeating: 0, count: weights.count) }
        var parts: [Int] = []
        parts.reserveCapacity(weights.count)
        var running: UInt64 = 0
        var previous: UInt64 = 0
        for weight in weights {
            running += UInt64(max(0, weight))
            let product = UInt64(total).multipliedFullWidth(by: running)
            let share = UInt64(weightSum).dividingFullWidth(product).quotient
            parts.append(Int(share - previous))
            previous = share
        }
        return parts
    }
}

// MARK: - Tiers

/// Tiers follow visit frequency, by rank: roughly the top 3% are VIP, the next 7%
/// GOLD, the next 15% SILVER. The rate is blurred (tiers lag behind behaviour), so
/// some SILVER members already spend like GOLD ones: the upgrade campaign's audience.
enum SampleTierAssignment {
    static func assign(to customers: inout [SampleCustomer], lastDay: LocalDate, seed: UInt64) {
        let count = customers.count
        var scores = [Int](repeating: 0, count: count)
        for index in customers.indices {
            var rng = SampleRandom(seed: seed, stream: .tiers, index: index)
            let customer = customers[index]
            if customer.orderCount == 0 {
                // Lapsed members keep the tier they had before the period.
                if !customer.joinedDuringPeriod {
                    let r = rng.below(1000)
                    customers[index].tier = r < 25 ? .gold : r < 125 ? .silver : .member
                }
                continue
            }
            // New members start as MEMBER.
            if customer.joined.distance(to: lastDay) < 45 { continue }
            let blur = rng.between(60 ... 140)
            scores[index] = customer.orderCount * 365 * blur / max(customer.activeDays, 120) + 1
        }
        let ranked = customers.indices.filter { scores[$0] > 0 }.sorted {
            scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1
        }
        let vip = count * 3 / 100, gold = count * 7 / 100, silver = count * 15 / 100
        for (rank, index) in ranked.enumerated() {
            if rank < vip {
                customers[index].tier = .vip
            } else if rank < vip + gold {
                customers[index].tier = .gold
            } else if rank < vip + gold + silver {
                customers[index].tier = .silver
            } else {
                customers[index].tier = .member
            }
        }
    }
}

// MARK: - When orders happen

struct SampleScheduledOrder: Comparable {
    var day: Int32
    var seconds: Int32
    /// Index into the plan's customers, -1 for a guest.
    var customer: Int32

    /// Orders equal in all three fields are interchangeable (their details are
    /// drawn later, in output order), so any sort gives the same file.
    static func < (a: SampleScheduledOrder, b: SampleScheduledOrder) -> Bool {
        (a.day, a.seconds, a.customer) < (b.day, b.seconds, b.customer)
    }
}

enum SampleOrderSchedule {
    static func make(customers: [SampleCustomer], guestOrders: Int, calendar: SampleCalendar,
                     seed: UInt64) -> [SampleScheduledOrder] {
        var orders: [SampleScheduledOrder] = []
        orders.reserveCapacity(customers.reduce(guestOrders) { $0 + $1.orderCount })
        for (index, customer) in customers.enumerated() where customer.orderCount > 0 {
            var rng = SampleRandom(seed: seed, stream: .schedule, index: index)
            var remaining = customer.orderCount
            if customer.joinedDuringPeriod {
                // A new member's first order is the one they signed up with.
                orders.append(SampleScheduledOrder(day: customer.firstActive.day, seconds: calendar.randomTime(&rng),
                                             customer: Int32(index)))
                remaining -= 1
            }
            for _ in 0 ..< remaining {
                let day = calendar.randomDay(from: customer.firstActive, through: customer.lastActive, &rng)
                orders.append(SampleScheduledOrder(day: day.day, seconds: calendar.randomTime(&rng), customer: Int32(index)))
            }
        }
        var rng = SampleRandom(seed: seed, stream: .guests)
        for _ in 0 ..< guestOrders {
            let day = calendar.randomDay(from: calendar.firstDay, through: calendar.lastDay, &rng)
            orders.append(SampleScheduledOrder(day: day.day, seconds: calendar.randomTime(&rng), customer: -1))
        }
        orders.sort()
        return orders
    }
}

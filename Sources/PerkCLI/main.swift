print("perk")

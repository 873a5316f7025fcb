"""Synthetic everyday talk of three kinds of community (crypto, jobs, marketplace), for the history row of
``bench/spam_quality.py``: what a community's trusted members write on an ordinary day.

Written for this project (licence: the project's). Templates with slots, filled at random from a seed, in
several languages; never the lines of ``bench/data/spam_hard.tsv`` (the history teaches, the hard set scores).
"""

from __future__ import annotations

import random

SLOTS: dict[str, tuple[str, ...]] = {
    "coin": ("BTC", "ETH", "SOL", "bitcoin", "ethereum", "USDC", "ADA", "DOT"),
    "n": ("2", "3", "5", "10", "12", "20", "40", "150", "300", "1200"),
    "price": ("$40", "$120", "€80", "£60", "200 zł", "15 000 ₽", "3000 грн", "25 000 Ft", "€350", "$15"),
    "salary": ("$60k", "£45,000", "€3,200 a month", "90 000 ₽", "12 000 zł brutto", "€48k", "$35/hour"),
    "thing": ("bike", "monitor", "sofa", "guitar", "camera", "desk", "stroller", "laptop", "drill", "tent"),
    "role": ("backend developer", "QA engineer", "designer", "data analyst", "support agent", "nurse", "accountant", "electrician"),
    "city": ("Berlin", "Warsaw", "Kyiv", "Lisbon", "Milan", "Budapest", "Madrid", "remote"),
    "wallet": ("Ledger", "Trezor", "MetaMask", "a hardware wallet", "an exchange"),
    "day": ("Saturday", "tomorrow", "Friday evening", "next week", "Sunday morning"),
}

TALK: dict[str, tuple[str, ...]] = {
    "crypto": (
        "what do you think about {coin} staking rewards this month?",
        "moved my {coin} to {wallet}, fees were about {price}",
        "is anyone here staking {coin} on {wallet}? how long is the unbonding period",
        "{coin} dropped {n}% overnight, I'm just holding",
        "the gas fees on ethereum are crazy again today",
        "does {wallet} support {coin} now or only through a third party app",
        "I bought {coin} at the top, lesson learnt, dollar cost averaging from now on",
        "the halving is priced in, change my mind",
        "anyone read the new whitepaper? the tokenomics look odd to me",
        "my exchange asks for KYC again, is that normal",
        "how do you all track your portfolio and taxes? spreadsheet or an app",
        "withdrawal to {wallet} took {n} minutes, all good",
        "кто-нибудь держит {coin} на {wallet}? какие комиссии за вывод",
        "стейкинг {coin} даёт сейчас около {n}% годовых, стоит ли",
        "биткоин опять упал на {n}%, держу дальше",
        "купил немного {coin} на бирже, пока просто держу в кошельке",
        "¿alguien usa {wallet} para guardar {coin}? la comisión fue de {price}",
        "el staking de {coin} rinde {n}% al año, no sé si vale la pena",
        "hat jemand Erfahrung mit {coin} Staking auf {wallet}?",
        "czy ktoś trzyma {coin} na {wallet}? ile wynosi prowizja",
    ),
    "jobs": (
        "we're hiring a {role} in {city}, salary {salary}, full time",
        "open position: {role}, {city}, {salary}, apply on our site",
        "our team is looking for a {role}, salary range {salary}, hybrid",
        "did anyone interview at that startup in {city}? how was the process",
        "I got an offer as {role} for {salary}, is that fair for {city}",
        "how long does it usually take to hear back after a final interview",
        "tip: always ask for the salary range before the first call",
        "junior {role} roles in {city} pay around {salary} as far as I know",
        "hiring: {role}, {n} years of experience, {salary}, visa support",
        "we have {n} openings for a {role}, write to me if you have questions about the team",
        "ищем {role} в {city}, зарплата {salary}, полный день",
        "вакансия: {role}, офис или удалёнка, оклад {salary}",
        "кто-нибудь проходил собеседование в эту компанию? как впечатления",
        "szukamy osoby na stanowisko {role}, wynagrodzenie {salary}, {city}",
        "buscamos {role} en {city}, salario {salary}, jornada completa",
        "wir suchen einen {role} in {city}, Gehalt {salary}",
        "cerchiamo un {role} a {city}, RAL {salary}",
        "keresünk {role} munkatársat, fizetés {salary}, {city}",
    ),
    "marketplace": (
        "selling my {thing}, {price}, pick up in {city}, DM me",
        "for sale: {thing} in good condition, {price} or best offer",
        "anyone want a {thing}? {price}, can meet on {day}",
        "still have the {thing} from last week, dropped the price to {price}",
        "sold, thanks everyone",
        "is {price} a fair price for a used {thing}?",
        "looking to buy a {thing}, budget around {price}, write me if you have one",
        "the {thing} is still available, message me for photos",
        "giving away a {thing} for free, pick up {day}",
        "my {thing} has a small scratch, otherwise like new, {price}",
        "продаю {thing}, {price}, самовывоз, пишите в личку",
        "продам {thing} в хорошем состоянии, {price}, торг уместен",
        "куплю {thing}, бюджет до {price}",
        "sprzedam {thing}, {price}, odbiór osobisty, piszcie na priv",
        "vendo {thing}, {price}, escríbeme por privado",
        "verkaufe {thing}, {price}, Abholung am {day}, schreibt mir",
        "vendo {thing} usato, {price}, scrivetemi in privato",
        "eladó {thing}, {price}, írj ha érdekel",
        "vendo {thing}, {price}, me chama no privado",
    ),
}

KINDS = tuple(TALK)


def fill(template: str, rnd: random.Random) -> str:
    out = template
    for slot, values in SLOTS.items():
        while "{" + slot + "}" in out:
            out = out.replace("{" + slot + "}", rnd.choice(values), 1)
    return out


def stream(kind: str, count: int, seed: int = 7, members: int = 40) -> list[tuple[str, str]]:
    """``count`` messages of a ``kind`` community: (member id, text), from ``members`` members."""
    rnd = random.Random(f"{kind}:{seed}")
    return [(f"m{rnd.randrange(members)}", fill(rnd.choice(TALK[kind]), rnd)) for _ in range(count)]

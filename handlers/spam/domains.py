"""Look-alike domains: a link that imitates a well-known service (``dlscord-gift.com``, ``steamcommunlty.ru``).

The registered domain is found with ``tldextract`` and the public suffix list
snapshot it ships, strictly offline (no download, no cache written): so
``gift.discord.com.claim-now.ru`` is ``claim-now.ru`` with ``discord.com`` as a
decoy subdomain, and ``foo.co.uk`` is ``foo`` under ``co.uk``. A domain is a
look-alike when it is not the service's own and its name (or one part of it
between hyphens) reads as the service's name once the usual visual swaps are
undone (``rn``/``m``, ``cl``/``d``, ``l``/``i``, ``0``/``o``), is one typo away
from it, or carries it with extra words (``discord-nitro-gift``), or when a
service's own domain is only a subdomain of it.
"""

from __future__ import annotations

from functools import lru_cache

import tldextract

# Strictly offline: the bundled snapshot of the public suffix list, never fetched, never cached to disk.
_EXTRACT = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

# Services whose accounts, gifts and wallets phishing pretends to be (their own registered domains).
OWN = {
    "telegram": ("telegram.org", "telegram.me", "t.me", "telegra.ph"),
    "discord": ("discord.com", "discord.gg", "discordapp.com", "discord.gift", "discord.media", "discordapp.net"),
    "discordapp": ("discordapp.com", "discordapp.net"),
    "steam": ("steampowered.com", "steamcommunity.com", "steamstatic.com", "steam.tv"),
    "steampowered": ("steampowered.com",),
    "steamcommunity": ("steamcommunity.com",),
    "metamask": ("metamask.io",),
    "trustwallet": ("trustwallet.com",),
    "binance": ("binance.com",),
    "coinbase": ("coinbase.com",),
    "paypal": ("paypal.com", "paypal.me"),
    "blockchain": ("blockchain.com",),
    "ledger": ("ledger.com",),
    "trezor": ("trezor.io",),
    "phantom": ("phantom.app",),
    "whatsapp": ("whatsapp.com", "wa.me"),
}
# Names no ordinary word contains: carried inside another domain's name, they are impersonation.
DISTINCT = frozenset(
    {
        "telegram",
        "discord",
        "discordapp",
        "steampowered",
        "steamcommunity",
        "metamask",
        "trustwallet",
        "binance",
        "coinbase",
        "paypal",
        "whatsapp",
    }
)
_OWN_DOMAINS = frozenset(d for ds in OWN.values() for d in ds)
_SWAPS = (("rn", "m"), ("cl", "d"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"))


def _visual(name: str) -> str:
    for a, b in _SWAPS:
        name = name.replace(a, b)
    return name


_BRANDS = {_visual(b): b for b in OWN}


def _one_typo(a: str, b: str) -> bool:
    """Within one edit (a letter changed, added, dropped, or two swapped): for names of five letters or more."""
    if a == b or min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def host_of(link: str) -> str:
    return link.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split("@")[-1].split(":", 1)[0].strip(".")


@lru_cache(maxsize=4096)
def imitated(host: str) -> str | None:
    """The service ``host`` imitates (``"discord"``), or ``None`` for a service's own domain or any other."""
    host = host.lower().removeprefix("www.")
    ext = _EXTRACT(host)
    if not ext.suffix or not ext.domain:
        return None
    registered = f"{ext.domain}.{ext.suffix}"
    if registered in _OWN_DOMAINS:
        return None
    if ext.subdomain:  # "discord.com.claim-now.ru": the service's own domain as a decoy in front
        sub = f".{ext.subdomain}."
        for brand, own in OWN.items():
            if any(f".{d}." in sub for d in own):
                return brand
    name = _visual(ext.domain)
    parts = name.split("-")
    for seen, brand in _BRANDS.items():
        if len(seen) < 5 and seen not in parts:
            continue  # short names ("t") only as a whole part
        if seen in parts or any(_one_typo(p, seen) for p in parts):
            return brand
        if brand in DISTINCT and seen in name:  # "discordnitro", "steamcommunity-gift"
            return brand
    return None


def lookalikes(links: tuple[str, ...]) -> tuple[str, ...]:
    """The services the message's links imitate."""
    out = []
    for link in links:
        brand = imitated(host_of(link))
        if brand is not None and brand not in out:
            out.append(brand)
    return tuple(out)


def warm() -> None:
    """Build the suffix list's lookup tables now (a fifth of a second, once) rather than at the first link."""
    imitated("example.com")

"""Japan Standard Time, UTC+9 without daylight saving: the time zone of the portal, the card's dates and the
agency's office hours (Act on Japan Standard Time, 明治19年勅令第51号; JST has had no DST since 1952)."""

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9), "JST")

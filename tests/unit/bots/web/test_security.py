"""Rate limits and CSRF tokens in front of the dashboard."""

from bots.web.security import RateLimit, cookie_options, csrf_ok, csrf_token


def test_an_address_is_held_back_after_its_limit_and_let_in_again_after_the_window():
    limit = RateLimit(limit=3, window=60)
    assert [limit.allow("10.0.0.1", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limit.allow("10.0.0.2", now=3)  # another address has its own count
    assert limit.allow("10.0.0.1", now=61)


def test_the_limiter_forgets_quiet_addresses_instead_of_growing_without_end():
    limit = RateLimit(limit=1, window=10, max_clients=100)
    for n in range(500):
        limit.allow(f"10.0.{n // 256}.{n % 256}", now=n * 20)
    assert len(limit._seen) <= 101


def test_a_csrf_token_belongs_to_its_session_only():
    token = csrf_token("session-a")
    assert csrf_ok("session-a", token)
    assert not csrf_ok("session-b", token)
    assert not csrf_ok(None, token) and not csrf_ok("session-a", None)


def test_the_cookie_is_secure_only_over_https():
    assert cookie_options("https://x.example")["secure"] is True
    assert cookie_options("http://127.0.0.1:3000")["secure"] is False
    assert cookie_options("http://127.0.0.1:3000")["samesite"] == "strict"

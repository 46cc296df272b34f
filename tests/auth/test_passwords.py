from cluster.auth.passwords import hash_password, password_problem, verify_password


def test_short_and_common_passwords_are_refused():
    assert "at least 12" in password_problem("short-pass")
    assert "too common" in password_problem("Password1234")
    assert "too common" in password_problem("aaaaaaaaaaaaaa")
    assert password_problem("me@school.example", "me@school.example")
    assert password_problem("lantern-otter-gravel") is None


def test_hashes_are_salted_scrypt():
    first, second = hash_password("lantern-otter-gravel"), hash_password("lantern-otter-gravel")
    assert first.startswith("scrypt:") and first != second
    # At least werkzeug's work factor (N=2^15, r=8): the people tests make have a cheaper hash.
    n, r, _ = (int(part) for part in first.split("$", 1)[0].split(":")[1:])
    assert n >= 2**15 and r >= 8
    assert verify_password(first, "lantern-otter-gravel")
    assert not verify_password(first, "lantern-otter-gravel!")

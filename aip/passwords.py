"""The password policy: composition rules, hashing and reuse history.

Each rule is a setting. PASSWORD_MIN_LENGTH sets the length (0 turns it
off), PASSWORD_REQUIRE_CLASSES asks for an upper-case letter, a digit and
a special character, PASSWORD_HISTORY_COUNT sets how many earlier
passwords may not be reused and PASSWORD_MAX_AGE_DAYS (read by aip.auth)
sets the expiry.
"""

from collections import namedtuple

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from aip.models import PasswordHistory, utcnow

# Hashing a very long string costs CPU for nothing; reject it instead.
MAX_LENGTH = 128

Rule = namedtuple("Rule", "label met")


def rules_for(password):
    """Return the enabled rules, each marked met or not for password."""
    config = current_app.config
    password = password or ""
    rules = []
    min_length = config["PASSWORD_MIN_LENGTH"]
    if min_length:
        rules.append(Rule(f"At least {min_length} characters",
                          len(password) >= min_length))
    if config["PASSWORD_REQUIRE_CLASSES"]:
        rules += [
            Rule("An upper-case letter",
                 any(char.isupper() for char in password)),
            Rule("A number", any(char.isdigit() for char in password)),
            Rule("A special character, such as ! @ # or $",
                 any(not char.isalnum() for char in password)),
        ]
    return rules


def policy_errors(password):
    """Return one message per rule the password fails, or an empty list."""
    password = password or ""
    if len(password) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]
    return [f"Missing: {rule.label.lower()}."
            for rule in rules_for(password) if not rule.met]


def hash_password(password):
    method = current_app.config["PASSWORD_HASH_METHOD"]
    return generate_password_hash(password, method=method)


def check_password(user, password):
    return check_password_hash(user.password_hash, password or "")


def recent_hashes(user):
    """Return the hashes the user may not reuse, the current one first.

    History rows include the current password, so the query takes one
    more than PASSWORD_HISTORY_COUNT to cover that many earlier ones.
    """
    count = current_app.config["PASSWORD_HISTORY_COUNT"]
    hashes = [user.password_hash]
    if count:
        hashes += [row.password_hash for row in
                   (PasswordHistory.select()
                    .where(PasswordHistory.user == user)
                    .order_by(PasswordHistory.id.desc())
                    .limit(count + 1))]
    return hashes


def reuse_error(user, password):
    """Return a message when password is the current or a recent one."""
    if check_password(user, password):
        return "Choose a password different from your current one."
    earlier = recent_hashes(user)[1:]
    if any(check_password_hash(hashed, password) for hashed in earlier):
        count = current_app.config["PASSWORD_HISTORY_COUNT"]
        return f"Choose a password you have not used in your last {count}."
    return None


def record_password(user, password):
    """Set user's password, reset its age and add it to the history.

    The outgoing password joins the history first when it is missing
    there, as for users created from the command line.
    """
    newest = (PasswordHistory.select()
              .where(PasswordHistory.user == user)
              .order_by(PasswordHistory.id.desc())
              .first())
    if newest is None or newest.password_hash != user.password_hash:
        PasswordHistory.create(user=user, password_hash=user.password_hash)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    user.save()
    PasswordHistory.create(user=user, password_hash=user.password_hash)

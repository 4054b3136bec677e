"""Numbers handed out from a per-office sequence (clients' and accounts'), passing over those held.

A number already held is passed over: one given out under an earlier format (say, one without the
office code), or by an office that had the same code before, must not make every later
registration or opening in the office fail on the unique number.
"""


def free_numbers(after, count, number_of, held_among):
    """(the first ``count`` numbers after the sequence value ``after`` that nothing holds, the sequence
    value of the last one). ``number_of(value)`` writes a value's number; ``held_among(numbers)`` is
    the set of those already held (one query). The search widens as it meets held numbers, so a long
    run of them costs few queries."""
    found, value, batch, last = [], after, count, after
    while len(found) < count:
        candidates = [(number_of(value + step), value + step) for step in range(1, batch + 1)]
        held = held_among([number for number, _value in candidates])
        for number, at in candidates:
            if number not in held and len(found) < count:
                found.append(number)
                last = at
        value += batch
        batch = min(max(batch * 2, count - len(found)), 1000)
    return found, last

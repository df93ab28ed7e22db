"""Parses that never end or never stop allocating, for the wire's bounded parser
(dateline.wire.sandbox). They live here, importable without Django, because the bounded
child imports the function it runs by name."""


def spin():
    while True:
        pass


def hog():
    hoard = []
    while True:
        hoard.append(bytearray(16 * 2**20))

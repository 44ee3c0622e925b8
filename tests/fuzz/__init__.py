"""The ocspkit fuzz harness: seeded mutations of real and generated OCSP messages, every consumer
as a target, and oracles for foreign exceptions, slow inputs and tampered messages that verify.

No dependency beyond ocspkit and the standard library. See tests/fuzz/README.md.
"""

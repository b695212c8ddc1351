"""Sample files: seed 002, the action programme of Kristinestad, Kaskö, Närpes, Korsnäs and Malax
2023–2025 as its municipalities wrote it (the demo imports it; the tests read it as it is)."""

from pathlib import Path

SEED_002 = Path(__file__).parent / "seed_002_action_programme.txt"

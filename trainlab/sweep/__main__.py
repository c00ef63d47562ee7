"""python -m trainlab.sweep: regenerate resources/sweep.schema.json from the models."""

from .schema import write_schema

if __name__ == "__main__":
    print(f"wrote {write_schema()}")

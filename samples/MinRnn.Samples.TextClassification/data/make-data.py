#!/usr/bin/env python3
"""Makes this sample's data: short phrases in four languages, each a few words drawn from a small word list of its
language (written for this sample, ASCII only, no accents). Seeded, so the same files come out every time.

  train.jsonl  400 rows {"input", "label"}, lower case without punctuation: what `minrnn train --task classify` reads
  test.csv     80 other rows, Text,Label: capitals and punctuation, as a user's data has them; the sample's ML.NET
               pipeline normalizes them (NormalizeText) into the training rows' alphabet.
Usage: python3 make-data.py   (writes into this folder)"""
import json, os, random

WORDS = {
    "english": "the and house water green little where today because people world night friend small river bread always "
               "never school garden would could through window morning father mother city yellow dog cat we you".split(),
    "french": "le la les et maison eau vert petit parce que monde nuit ami pain toujours jamais ecole jardin avec dans "
              "pour fenetre matin pere mere ville jaune bonjour merci chat chien nous vous".split(),
    "german": "der die das und haus wasser klein heute weil leute welt nacht freund brot immer nie schule garten mit "
              "durch fenster morgen vater mutter stadt gelb nicht ich wir sie ist auch".split(),
    "spanish": "el la los y casa agua verde hoy porque gente mundo noche amigo pan siempre nunca escuela jardin con por "
               "ventana manana padre madre ciudad amarillo perro gato nosotros usted es".split(),
}


def phrase(rng, language):
    return " ".join(rng.choice(WORDS[language]) for _ in range(rng.randint(2, 7)))


def styled(rng, text):
    """A user's spelling of a phrase: a capital first letter, a comma perhaps, an end mark."""
    words = text.split()
    words[0] = words[0].capitalize()
    if len(words) > 3 and rng.random() < 0.5:
        words[1] += ","
    return " ".join(words) + rng.choice([".", "!", "?", "..."])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(7)
    languages = sorted(WORDS)
    with open(os.path.join(here, "train.jsonl"), "w", encoding="utf-8") as f:
        for i in range(400):
            language = languages[i % len(languages)]
            f.write(json.dumps({"input": phrase(rng, language), "label": language}) + "\n")
    with open(os.path.join(here, "test.csv"), "w", encoding="utf-8") as f:
        f.write("Text,Label\n")
        for i in range(80):
            language = languages[rng.randrange(len(languages))]
            f.write(f"\"{styled(rng, phrase(rng, language))}\",{language}\n")


if __name__ == "__main__":
    main()

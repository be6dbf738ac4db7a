export async function sendMessage(): Promise<string> {
  const response = await fetch("/api/chat", { method: "POST" });
  const body = await response.json();
  return body.answer;
}

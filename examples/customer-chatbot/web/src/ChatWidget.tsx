import React, { useState } from "react";
import { sendMessage } from "./api";

// Art. 50(1): the notice is shown before the first message, in the chat header.
export function ChatWidget(): JSX.Element {
  const [messages, setMessages] = useState<string[]>([]);
  return (
    <section className="chat" aria-label="Customer support chat">
      <header className="chat__notice" role="note">
        You are chatting with an AI assistant.
      </header>
      <ul>{messages.map((m, i) => <li key={i}>{m}</li>)}</ul>
      <form onSubmit={async (e) => { e.preventDefault(); setMessages([...messages, await sendMessage()]); }}>
        <input name="q" placeholder="Ask about your order" />
      </form>
    </section>
  );
}

/** A Telegram Bot API sandbox: accepts sendMessage for known tokens and keeps what it got. */
import http from 'node:http';

export interface TelegramSandbox {
  url: string;
  messages: Array<{ token: string; chat_id: string; text: string }>;
  close(): Promise<void>;
}

export async function startTelegramSandbox(options: { tokens?: string[]; port?: number } = {}): Promise<TelegramSandbox> {
  const messages: TelegramSandbox['messages'] = [];
  const server = http.createServer((req, res) => {
    const match = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !match) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
      const token = decodeURIComponent(match[1]);
      if (options.tokens && !options.tokens.includes(token)) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      let body: { chat_id?: string | number; text?: string };
      try {
        body = JSON.parse(raw);
      } catch {
        return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      }
      if (!body.chat_id || !body.text) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: chat_id and text are required' });
      messages.push({ token, chat_id: String(body.chat_id), text: body.text });
      return reply(200, { ok: true, result: { message_id: messages.length, chat: { id: body.chat_id }, text: body.text } });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

import { Hono } from 'hono';
import { serveAndAnnounce } from './serve.js';

const app = new Hono();
app.get('/hello', (c) => c.json({ hello: 'world', ok: true }));

serveAndAnnounce(app.fetch);

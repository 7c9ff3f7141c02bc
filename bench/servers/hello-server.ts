import express from 'express';
import { serveForParent } from './serve-for-parent.js';

const app = express();
app.get('/', (_req, res) => {
  res.send('hello');
});
await serveForParent(app, {});

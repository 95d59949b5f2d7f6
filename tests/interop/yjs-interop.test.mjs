// Interop between Stellwand's sync layer and the stock Yjs ecosystem:
//  1. a stock `y-websocket` client joins a board served by Stellwand's server,
//     reads the notes Stellwand wrote, writes its own, and Stellwand sees them;
//     the host undoes its move of an item the facilitator locked;
//  2. Stellwand's client syncs through the reference `@y/websocket-server`.
//
// Run: node --test tests/interop/
// The Stellwand binaries are built with cargo unless STELLWAND_SERVE_BIN and
// STELLWAND_BOARD_SYNC_BIN point at prebuilt `serve` and `board_sync` examples.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import http from 'node:http'
import path from 'node:path'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { WebsocketProvider } from 'y-websocket'
import WebSocket, { WebSocketServer } from 'ws'
import { setupWSConnection, docs as referenceDocs } from '@y/websocket-server/utils'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

function exampleBinary (name, envVar) {
  if (process.env[envVar]) return process.env[envVar]
  execFileSync('cargo', ['build', '--quiet', '-p', 'stellwand-sync', '--example', name], { cwd: repo, stdio: 'inherit' })
  const target = process.env.CARGO_TARGET_DIR || path.join(repo, 'target')
  return path.join(target, 'debug', 'examples', name)
}

let serveBin, boardSyncBin, server, serverInfo

// Asynchronous on purpose: the reference server runs in this process and
// must keep serving while the Stellwand client talks to it.
async function boardSync (url, ...args) {
  const { stdout } = await promisify(execFile)(boardSyncBin, [url, ...args], { encoding: 'utf8', timeout: 60_000 })
  return JSON.parse(stdout.trim().split('\n').pop())
}

/** Adds a note following docs/schema.md. */
function addNote (doc, id, text, x = 0) {
  const items = doc.getMap('items')
  doc.transact(() => {
    const note = new Y.Map()
    note.set('type', 'note')
    note.set('x', x)
    note.set('y', 20)
    note.set('w', 160)
    note.set('h', 120)
    note.set('z', 2)
    note.set('color', '#ffe066')
    note.set('text', new Y.Text(text))
    items.set(id, note)
  })
}

function noteText (doc, id) {
  const note = doc.getMap('items').get(id)
  return note instanceof Y.Map ? note.get('text')?.toString() : undefined
}

function connectJs (serverUrl, room, params) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket,
    params,
    disableBc: true
  })
  const synced = new Promise((resolve) => {
    if (provider.synced) resolve()
    provider.once('sync', (ok) => ok && resolve())
  })
  return { doc, provider, synced }
}

async function eventually (check, ms = 10_000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return check()
}

before(async () => {
  serveBin = exampleBinary('serve', 'STELLWAND_SERVE_BIN')
  boardSyncBin = exampleBinary('board_sync', 'STELLWAND_BOARD_SYNC_BIN')
  server = spawn(serveBin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: server.stdout })
  serverInfo = await new Promise((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line)))
    server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)))
  })
})

after(() => {
  server?.kill('SIGTERM')
})

test('a stock y-websocket client reads and writes a board served by Stellwand', async () => {
  const base = `ws://127.0.0.1:${serverInfo.port}/b`
  const board = 'interop-stellwand-server'
  const link = `${base}/${board}?token=${serverInfo.editor_token}`
  await boardSync(link, '--add-note', 'from-rust', 'Grüße aus Rust 👋')

  const js = connectJs(base, board, { token: serverInfo.editor_token })
  await js.synced
  assert.equal(noteText(js.doc, 'from-rust'), 'Grüße aus Rust 👋')
  const fromRust = js.doc.getMap('items').get('from-rust')
  assert.equal(fromRust.get('type'), 'note')
  assert.equal(typeof fromRust.get('x'), 'number')

  addNote(js.doc, 'from-js', 'Hallo aus JavaScript', 200)
  // Edit the Rust note's text too: UTF-16 offsets must agree.
  fromRust.get('text').insert(fromRust.get('text').length, '!')
  const seen = await eventually(async () => {
    const notes = await boardSync(link)
    return notes['from-js']?.text === 'Hallo aus JavaScript' &&
      notes['from-js']?.type === 'note' &&
      notes['from-rust']?.text === 'Grüße aus Rust 👋!'
  })
  assert.ok(seen, 'Stellwand did not see the JavaScript client\'s edits')
  js.provider.destroy()
  js.doc.destroy()
})

test('a stock y-websocket viewer reads but cannot write', async () => {
  const base = `ws://127.0.0.1:${serverInfo.port}/b`
  const board = 'interop-viewer'
  const link = `${base}/${board}?token=${serverInfo.editor_token}`
  await boardSync(link, '--add-note', 'kept', 'only editors write')
  const viewer = connectJs(base, board, { token: serverInfo.viewer_token })
  await viewer.synced
  assert.equal(noteText(viewer.doc, 'kept'), 'only editors write')
  addNote(viewer.doc, 'sneaky', 'must not land')
  await new Promise((resolve) => setTimeout(resolve, 300))
  const notes = await boardSync(link)
  assert.equal(notes.sneaky, undefined)
  assert.equal(viewer.provider.wsconnected, true, 'the viewer stays connected')
  viewer.provider.destroy()
  viewer.doc.destroy()
})

/** A workshop message (type 64, JSON; docs/workshop.md) as one frame. */
function workshopFrame (json) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 64)
  encoding.writeVarUint8Array(encoder, new TextEncoder().encode(JSON.stringify(json)))
  return encoding.toUint8Array(encoder)
}

test('the host undoes a stock y-websocket participant\'s move of a locked item', async () => {
  const base = `ws://127.0.0.1:${serverInfo.port}/b`
  const board = 'interop-locked'
  const js = connectJs(base, board, { token: serverInfo.editor_token })
  await js.synced
  addNote(js.doc, 'agenda', 'Tagesordnung', 40)
  addNote(js.doc, 'free', 'frei', 300)
  await new Promise((resolve) => setTimeout(resolve, 300))

  // The facilitator locks the agenda through a workshop command.
  const facilitator = new WebSocket(`${base}/${board}?token=${serverInfo.facilitator_token}`)
  await new Promise((resolve, reject) => { facilitator.once('open', resolve); facilitator.once('error', reject) })
  const replies = []
  facilitator.on('message', (data) => {
    const decoder = decoding.createDecoder(new Uint8Array(data))
    if (decoding.readVarUint(decoder) === 64) {
      replies.push(JSON.parse(new TextDecoder().decode(decoding.readVarUint8Array(decoder))))
    }
  })
  facilitator.send(workshopFrame({ hello: { user: 'interop-facilitator', name: 'Moderation' } }))
  facilitator.send(workshopFrame({ do: { id: 1, cmd: { op: 'lock', items: ['agenda'], locked: true } } }))
  assert.ok(await eventually(() => replies.some((r) => r.reply?.re === 1 && r.reply.error === undefined)),
    `the lock was not confirmed: ${JSON.stringify(replies)}`)
  assert.ok(await eventually(() => js.doc.getMap('workshop').get('locks')?.agenda === true),
    'the participant does not see the lock')

  // The stock client moves both notes: the locked one comes back.
  js.doc.getMap('items').get('agenda').set('x', 999)
  js.doc.getMap('items').get('free').set('x', 555)
  assert.ok(await eventually(() => js.doc.getMap('items').get('agenda').get('x') === 40),
    'the locked note stayed moved')
  await new Promise((resolve) => setTimeout(resolve, 300))
  assert.equal(js.doc.getMap('items').get('free').get('x'), 555, 'an unlocked note keeps its move')
  const notes = await boardSync(`${base}/${board}?token=${serverInfo.editor_token}`)
  assert.equal(notes.agenda?.x, 40)
  assert.equal(notes.free?.x, 555)
  facilitator.close()
  js.provider.destroy()
  js.doc.destroy()
})

test('a stock client with a bad token is refused before any board data', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${serverInfo.port}/b/secret-board?token=forged`)
  const status = await new Promise((resolve) => {
    // With this listener, ws leaves the refused request open; close it so
    // that nothing keeps the test process alive.
    ws.on('unexpected-response', (req, res) => {
      resolve(res.statusCode)
      req.destroy()
    })
    ws.on('open', () => resolve('open'))
    ws.on('error', () => {})
  })
  assert.equal(status, 401)
})

test('Stellwand\'s client syncs through the reference @y/websocket-server', async () => {
  const wss = new WebSocketServer({ noServer: true })
  const httpServer = http.createServer((_req, res) => res.end('okay'))
  httpServer.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req))
  })
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  const port = httpServer.address().port
  try {
    const js = connectJs(`ws://127.0.0.1:${port}`, 'b/reference', {})
    await js.synced
    addNote(js.doc, 'js-note', 'written in JavaScript')
    const link = `ws://127.0.0.1:${port}/b/reference?token=unused`
    const notes = await boardSync(link, '--add-note', 'rust-note', 'written by Stellwand')
    assert.equal(notes['js-note']?.text, 'written in JavaScript')
    assert.equal(notes['rust-note']?.text, 'written by Stellwand')
    assert.ok(await eventually(() => noteText(js.doc, 'rust-note') === 'written by Stellwand'),
      'the JavaScript client did not receive Stellwand\'s note')
    js.provider.destroy()
    js.doc.destroy()
  } finally {
    for (const client of wss.clients) client.terminate()
    await new Promise((resolve) => httpServer.close(resolve))
    // The reference server keeps its documents (and their awareness timers)
    // until they are destroyed.
    for (const doc of referenceDocs.values()) doc.destroy()
    referenceDocs.clear()
  }
})

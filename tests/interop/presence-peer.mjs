// A stock Yjs participant for the desktop end-to-end tests: joins a board by
// its Stellwand join link with `y-websocket`, publishes a presence state
// (name, colour, pointer) through awareness, adds one note following
// docs/schema.md once synced, prints what it sees as JSON lines, and stays
// until it is stopped.
//
//   node tests/interop/presence-peer.mjs LINK NAME NOTE_TEXT

import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const [link, name, noteText] = process.argv.slice(2)
const url = new URL(link)
const parts = url.pathname.split('/')
const room = parts.pop()
const serverUrl = `${url.protocol}//${url.host}${parts.join('/')}`
const doc = new Y.Doc()
const provider = new WebsocketProvider(serverUrl, room, doc, {
  WebSocketPolyfill: WebSocket,
  params: { token: url.searchParams.get('token') ?? '' },
  disableBc: true
})
provider.awareness.setLocalState({
  user: { name, color: '#2e7d32' },
  cursor: { x: 40, y: 60 },
  selection: []
})

const report = (event) => process.stdout.write(JSON.stringify(event) + '\n')
provider.on('sync', (synced) => {
  if (!synced) return
  const items = doc.getMap('items')
  report({ synced: true, items: items.size })
  if (noteText !== undefined) {
    doc.transact(() => {
      const note = new Y.Map()
      note.set('type', 'note')
      note.set('x', 40)
      note.set('y', 700)
      note.set('w', 200)
      note.set('h', 150)
      note.set('z', 50)
      note.set('color', 'green')
      note.set('text', new Y.Text(noteText))
      note.set('author', name)
      items.set(globalThis.crypto.randomUUID(), note)
    })
  }
})
provider.awareness.on('change', () => {
  const others = [...provider.awareness.getStates().entries()]
    .filter(([id]) => id !== doc.clientID)
    .map(([, state]) => state?.user?.name)
    .filter(Boolean)
  report({ participants: others })
})
const stop = () => {
  provider.awareness.setLocalState(null)
  provider.destroy()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)

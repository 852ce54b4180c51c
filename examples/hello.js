// The first program: ferro runs it exactly as Node would.
const greeting = { runtime: 'ferro', node: process.version, engine: 'JavaScriptCore' };
console.log('Hello from ferro!', greeting);
setTimeout(() => console.log('...and the event loop works too.'), 10);

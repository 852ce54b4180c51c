// Recursion and calls.
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
let total = 0;
for (let i = 0; i < 3; i++) total += fib(31);
if (total !== 3 * 1346269) throw new Error('wrong result');

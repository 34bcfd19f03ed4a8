// The sample EHR page adds a diagnosis row when asked (the extension must
// notice it through its MutationObserver).
let n = 6;
document.getElementById('add').addEventListener('click', () => {
  const row = document.createElement('tr');
  for (const [i, text] of [[0, String(n)], [1, 'J45.909'], [2, 'Added later']].map((x) => x)) {
    const td = document.createElement('td');
    td.textContent = text;
    if (i === 1) td.id = `c-added-${n}`;
    row.append(td);
  }
  document.querySelector('#dx tbody').append(row);
  n++;
});

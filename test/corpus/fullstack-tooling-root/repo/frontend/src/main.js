const list = document.querySelector("#notes");
const notes = await (await fetch("/api/notes")).json();
for (const n of notes) list.append(Object.assign(document.createElement("li"), { textContent: n.text }));

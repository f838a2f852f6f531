// Package tidy rewrites a CSV file with its cells trimmed and its empty rows dropped.
package tidy

import (
	"encoding/csv"
	"os"
	"sort"
	"strings"
)

// File tidies the CSV file at path in place; sortBy > 0 sorts the rows after the header by that column.
func File(path string, sortBy int) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	rows, err := csv.NewReader(in).ReadAll()
	in.Close()
	if err != nil {
		return err
	}
	out := rows[:0]
	for _, r := range rows {
		empty := true
		for i, c := range r {
			r[i] = strings.TrimSpace(c)
			empty = empty && r[i] == ""
		}
		if !empty {
			out = append(out, r)
		}
	}
	if sortBy > 0 && len(out) > 1 {
		body := out[1:]
		sort.SliceStable(body, func(i, j int) bool { return cell(body[i], sortBy-1) < cell(body[j], sortBy-1) })
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(out); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func cell(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

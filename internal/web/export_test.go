package web

import "sort"

// MessageKeys lists the message keys, for the test that finds unused ones.
func MessageKeys() []string {
	keys := make([]string, 0, len(messages))
	for k := range messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

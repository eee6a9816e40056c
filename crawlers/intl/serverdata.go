package intl

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrNoServerData is returned when a page holds no window.SERVER_DATA
// assignment: the site no longer renders from embedded JSON.
var ErrNoServerData = errors.New("intl: no window.SERVER_DATA in page")

// ServerData returns the JSON object a page assigns to window.SERVER_DATA
// (`window.SERVER_DATA={…};`). It scans for the balanced closing brace,
// skipping braces and "};" inside JSON strings, so the object's end is found
// wherever the script continues. The result is not validated as JSON.
func ServerData(page []byte) ([]byte, error) {
	const marker = "SERVER_DATA"
	rest := page
	for {
		i := bytes.Index(rest, []byte(marker))
		if i < 0 {
			return nil, ErrNoServerData
		}
		after := skipSpace(rest[i+len(marker):])
		if len(after) > 0 && after[0] == '=' && (len(after) < 2 || after[1] != '=') {
			obj := skipSpace(after[1:])
			if len(obj) == 0 || obj[0] != '{' {
				return nil, fmt.Errorf("%w: assignment is not an object literal", ErrNoServerData)
			}
			end, err := objectEnd(obj)
			if err != nil {
				return nil, err
			}
			return obj[:end], nil
		}
		rest = rest[i+len(marker):]
	}
}

// objectEnd returns the length of the JSON object that b starts with,
// closing brace included.
func objectEnd(b []byte) (int, error) {
	depth := 0
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++ // skip the escaped byte (\" and \\ included)
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				if c != '}' {
					return 0, fmt.Errorf("intl: SERVER_DATA: unbalanced brackets at byte %d", i)
				}
				return i + 1, nil
			}
			if depth < 0 {
				return 0, fmt.Errorf("intl: SERVER_DATA: unbalanced brackets at byte %d", i)
			}
		}
	}
	return 0, fmt.Errorf("intl: SERVER_DATA: object not closed (truncated page?)")
}

func skipSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}

package board

// Count returns the number of cards.
func Count(cards []string) int { return len(cards) }

package main

import "example.com/acme/notes/cmd"

func main() {
	cmd.Execute()
}

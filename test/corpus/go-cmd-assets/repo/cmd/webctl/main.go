package main

import "fmt"

func main() {
	fmt.Println("webctl: a command-line client")
}

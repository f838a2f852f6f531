module example.com/acme/board

go 1.22

package main

import (
	"github.com/gin-gonic/gin"

	"github.com/acme/albums/internal/handlers"
)

func main() {
	router := gin.Default()
	router.GET("/healthz", handlers.Health)
	router.GET("/albums", handlers.ListAlbums)
	router.GET("/albums/:id", handlers.GetAlbum)
	router.POST("/albums", handlers.PostAlbum)

	router.Run("localhost:8081")
}

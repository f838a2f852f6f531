package com.example.inventory.plugins

import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.response.respond
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing

private val stock = mapOf("apple" to 12, "pear" to 4)

fun Application.configureRouting() {
    routing {
        get("/") {
            call.respondText("inventory")
        }
        route("/api") {
            get("/items/{name}") {
                val count = stock[call.parameters["name"]]
                if (count == null) call.respond(HttpStatusCode.NotFound) else call.respondText(count.toString())
            }
            get("/health") {
                call.respondText("ok")
            }
        }
    }
}

rootProject.name = "tally"

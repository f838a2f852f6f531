console.log("wip");

require("dotenv").config();
const { Client, Events, GatewayIntentBits } = require("discord.js");
const standup = require("./commands/standup");
const ping = require("./commands/ping");

const commands = new Map([standup, ping].map((c) => [c.data.name, c]));
const client = new Client({ intents: [GatewayIntentBits.Guilds] });

client.once(Events.ClientReady, (c) => {
  console.log(`Ready as ${c.user.tag}`);
});

client.on(Events.InteractionCreate, async (interaction) => {
  if (!interaction.isChatInputCommand()) return;
  const command = commands.get(interaction.commandName);
  if (!command) return;
  try {
    await command.execute(interaction);
  } catch (err) {
    console.error(err);
    await interaction.reply({ content: "Something went wrong.", ephemeral: true });
  }
});

client.login(process.env.DISCORD_TOKEN);

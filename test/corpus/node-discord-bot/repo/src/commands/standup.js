const { SlashCommandBuilder } = require("discord.js");

module.exports = {
  data: new SlashCommandBuilder().setName("standup").setDescription("Open today's stand-up thread"),
  async execute(interaction) {
    const day = new Date().toISOString().slice(0, 10);
    const thread = await interaction.channel.threads.create({ name: `Stand-up ${day}` });
    await interaction.reply(`Thread opened: ${thread}`);
  },
};

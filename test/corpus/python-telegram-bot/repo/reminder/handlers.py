from dateutil import parser
from telegram import Update
from telegram.ext import ContextTypes


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text("Send /remind <when> <what>.")


async def alarm(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    await context.bot.send_message(job.chat_id, text=f"Reminder: {job.data}")


async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if len(context.args) < 2:
        await update.message.reply_text("Usage: /remind <when> <what>")
        return
    when = parser.parse(context.args[0])
    what = " ".join(context.args[1:])
    context.job_queue.run_once(alarm, when, chat_id=update.effective_chat.id, data=what)
    await update.message.reply_text(f"OK, at {when:%H:%M}.")

import logging
import os

from telegram.ext import Application, CommandHandler

from reminder.handlers import remind, start

logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s", level=logging.INFO)


def main() -> None:
    application = Application.builder().token(os.environ["TELEGRAM_TOKEN"]).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("remind", remind))
    application.run_polling()


if __name__ == "__main__":
    main()

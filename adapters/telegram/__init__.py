"""The Telegram adapter: aiogram 3 Bot in, neutral events out; neutral actions in, Bot API calls out."""

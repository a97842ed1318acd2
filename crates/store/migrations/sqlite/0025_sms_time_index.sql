-- The company's text messages in the order they were recorded, whatever their direction: the
-- texts statistics export pages through a time window with it.
CREATE INDEX sms_messages_time ON sms_messages (company_id, created_at, id);

import journal from './meta/_journal.json';
import m0000 from './0000_init.sql';
import m0001 from './0001_invitations.sql';
import m0002 from './0002_manage_token_salt.sql';
import m0003 from './0003_counters_and_versions.sql';
import m0004 from './0004_invitation_code_limits.sql';
import m0005 from './0005_mail_dead.sql';
import m0006 from './0006_registration_abuse.sql';
import m0007 from './0007_manage_link_and_history.sql';
import m0008 from './0008_erasure.sql';
import m0009 from './0009_listed_and_tags.sql';
import m0010 from './0010_minimum_decision.sql';
import m0011 from './0011_location_and_calendar.sql';
import m0012 from './0012_registration_forms.sql';
import m0013 from './0013_event_outbox.sql';
import m0014 from './0014_price_and_payment_hold.sql';
import m0015 from './0015_refunded.sql';
import m0016 from './0016_stripe_payments.sql';
import m0017 from './0017_registration_price.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002,
m0003,
m0004,
m0005,
m0006,
m0007,
m0008,
m0009,
m0010,
m0011,
m0012,
m0013,
m0014,
m0015,
m0016,
m0017
    }
  }
  